/**
 * Brief length: the word count the medium_writer experiment measures, and how a writer keeps a
 * body within a word budget its instructions ask for (writer prompt v2: "keep the sentences with
 * figures and the risks, drop the rest").
 */
import type { SummaryBody, SummarySection } from '../model';

export function wordsOf(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function bodyWords(body: SummaryBody): number {
  return body.sections.reduce((n, s) => n + s.sentences.reduce((m, sentence) => m + wordsOf(sentence.text), 0), 0);
}

/** Which sentences go first when a body is over budget: uncited prose, then the least central sections. */
const DROP_ORDER: readonly SummarySection[] = ['catalysts', 'analyst_view', 'overview', 'valuation_and_estimates', 'recent_results'];

/**
 * Drop whole sentences (never rewrite one, so every kept figure stays exactly as written and cited)
 * until the body fits `maxWords`: uncited sentences after the first of the brief, then the last
 * sentence of the sections in DROP_ORDER, keeping each section's first sentence and every risk.
 */
export function fitToWords(body: SummaryBody, maxWords: number): SummaryBody {
  const sections = body.sections.map((s) => ({ section: s.section, sentences: [...s.sentences] }));
  const total = () => bodyWords({ sections });
  const first = sections[0]?.sentences[0];
  for (const section of sections) {
    for (let i = section.sentences.length - 1; i >= 0 && total() > maxWords; i -= 1) {
      const sentence = section.sentences[i]!;
      if (sentence !== first && sentence.citations.length === 0) section.sentences.splice(i, 1);
    }
  }
  for (const name of DROP_ORDER) {
    const section = sections.find((s) => s.section === name);
    while (section && section.sentences.length > 1 && total() > maxWords) section.sentences.pop();
  }
  return { sections: sections.filter((s) => s.sentences.length > 0) };
}
