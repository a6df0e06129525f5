/**
 * What a writer sees: the facts with their display strings, the documents it may cite, and short
 * number-free excerpts of source text. The writer prompt is rendered from it and the local
 * provider parses it back, so both model paths write from exactly the same grounded material.
 */
import { z } from 'zod';
import type { FactSnapshot, SourceBundle } from '../model';
import { formatFact, formatPeriod } from '../facts/format';
import { periodKey } from '../facts/normalise';

export const PromptFactSchema = z.object({
  id: z.string(),
  metric: z.string(),
  periodKey: z.string(),
  periodLabel: z.string(),
  fiscalYear: z.number(),
  fiscalPeriod: z.string(),
  value: z.number(),
  unit: z.string(),
  display: z.string(),
  docId: z.string(),
  /** Documents of the facts a derived value was computed from. */
  docIds: z.array(z.string()),
});
export type PromptFact = z.infer<typeof PromptFactSchema>;

export const ExcerptSchema = z.object({
  docId: z.string(),
  kind: z.enum(['business', 'risk', 'rating', 'thesis', 'news']),
  date: z.string(),
  text: z.string(),
  /** For ratings: broker and rating, so no prose has to be parsed. */
  broker: z.string().optional(),
  rating: z.string().optional(),
});
export type Excerpt = z.infer<typeof ExcerptSchema>;

export const BriefInputSchema = z.object({
  company: z.object({ ticker: z.string(), name: z.string(), sector: z.string(), asOf: z.string() }),
  facts: z.array(PromptFactSchema),
  conflicts: z.array(
    z.object({
      metric: z.string(),
      periodLabel: z.string(),
      kind: z.enum(['cross_source', 'restatement']),
      chosen: z.object({ display: z.string(), docId: z.string(), source: z.string() }),
      others: z.array(z.object({ display: z.string(), docId: z.string(), source: z.string(), filed: z.string() })),
    }),
  ),
  documents: z.array(z.object({ docId: z.string(), kind: z.string(), title: z.string(), date: z.string() })),
  excerpts: z.array(ExcerptSchema),
  gaps: z.array(z.string()),
});
export type BriefInput = z.infer<typeof BriefInputSchema>;

const HAS_DIGIT = /\d/;

/** Abbreviations that end in a full stop without ending the sentence. */
const ABBREVIATION = /\b(?:Inc|Corp|Co|Ltd|Plc|LLC|L\.P|N\.A|U\.S|No|Nos|St|Mr|Ms|Dr|vs|etc|e\.g|i\.e)\.$/;

/** Split prose into sentences: at . ! ? (and a closing quote) before a capital, not after an abbreviation. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let current = '';
  for (const piece of text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?]["”’)]?)\s+(?=["“(]?[A-Z])/)) {
    current = current ? `${current} ${piece}` : piece;
    if (!ABBREVIATION.test(current)) {
      sentences.push(current);
      current = '';
    }
  }
  if (current) sentences.push(current);
  return sentences;
}

/** Sentences of a text that carry no figures: safe to quote without a fact to check them against. */
export function numberFreeSentences(text: string, limit: number): string[] {
  // A line is a paragraph: a sub-heading ("Company Background") never runs into the sentence after it.
  return text
    .split('\n')
    .flatMap((line) => splitSentences(line))
    .map((s) => s.trim())
    .filter((s) => /[.!?]["”’)]?$/.test(s) && (s.match(/["“”]/g) ?? []).length % 2 === 0)
    .filter((s) => s.length > 20 && s.length < 320 && !HAS_DIGIT.test(s))
    .slice(0, limit);
}

function riskTitles(text: string, limit: number): string[] {
  // Risk factors are written as a bold title line followed by prose; take the title lines.
  const lines = text.split('\n').map((l) => l.replace(/^[#*\-\s]+|[*\s]+$/g, '').trim());
  const titles = lines.filter((l) => l.length > 10 && l.length < 160 && !HAS_DIGIT.test(l) && !/[.]$/.test(l));
  return (titles.length > 0 ? titles : numberFreeSentences(text, limit)).slice(0, limit);
}

/**
 * The excerpts the writer was given, per document: what a brief's prose may rest on beyond the facts.
 * A news item's excerpt is its headline, which the detector already reads as all the item says.
 */
export function excerptTextByDoc(input: BriefInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of input.excerpts) {
    if (e.kind === 'news') continue;
    out[e.docId] = out[e.docId] === undefined ? e.text : `${out[e.docId]}\n\n${e.text}`;
  }
  return out;
}

export function briefInputFrom(snapshot: FactSnapshot, bundle: SourceBundle): BriefInput {
  const byId = new Map(snapshot.facts.map((f) => [f.id, f]));
  const facts: PromptFact[] = snapshot.facts.map((f) => ({
    id: f.id,
    metric: f.metric,
    periodKey: periodKey(f.period),
    periodLabel: formatPeriod(f.period),
    fiscalYear: f.period.fiscalYear,
    fiscalPeriod: f.period.fiscalPeriod,
    value: f.value,
    unit: f.unit,
    display: formatFact(f),
    docId: f.docId,
    docIds: [...new Set([f.docId, ...(f.derivedFrom ?? []).map((id) => byId.get(id)?.docId ?? f.docId)])],
  }));
  const conflicts: BriefInput['conflicts'] = snapshot.conflicts.flatMap((c) => {
    const chosenFact = byId.get(c.candidates[0]!.factId);
    if (!chosenFact) return [];
    const [chosen, ...others] = c.candidates;
    return [
      {
        metric: c.metric,
        periodLabel: formatPeriod(chosenFact.period),
        kind: c.kind,
        chosen: { display: formatFact(chosenFact), docId: chosen!.docId, source: chosen!.source },
        others: others.map((o) => ({
          display: formatFact({ value: o.value, unit: chosenFact.unit }),
          docId: o.docId,
          source: o.source,
          filed: o.filed,
        })),
      },
    ];
  });
  const excerpts: Excerpt[] = [];
  const annual = bundle.filings.find((f) => f.form === '10-K' || f.form === '10-K/A') ?? bundle.filings[0];
  if (annual) {
    const business = annual.sections.find((s) => s.item === '1');
    for (const text of numberFreeSentences(business?.text ?? '', 3))
      excerpts.push({ docId: annual.docId, kind: 'business', date: annual.filed, text });
    const risks = annual.sections.find((s) => s.item === '1A');
    for (const text of riskTitles(risks?.text ?? '', 4)) excerpts.push({ docId: annual.docId, kind: 'risk', date: annual.filed, text });
  }
  for (const note of bundle.notes) {
    excerpts.push({ docId: note.docId, kind: 'rating', date: note.published, text: note.title, broker: note.broker, rating: note.rating });
    for (const text of numberFreeSentences(note.thesis, 1))
      excerpts.push({ docId: note.docId, kind: 'thesis', date: note.published, text });
  }
  for (const item of bundle.news) {
    const headline = item.headline.trim().replace(/[.!?]*$/, '.');
    if (!HAS_DIGIT.test(headline)) excerpts.push({ docId: item.docId, kind: 'news', date: item.published.slice(0, 10), text: headline });
  }
  const gaps = [
    // The reason is stored with the run; the sentence stays number-free so it needs no citation.
    ...snapshot.missingSources.map((m) => `This brief could not see ${m.source} data: the source was unavailable at run time.`),
    ...snapshot.staleSources.map(
      (s) => `The newest ${s.source} item predates this brief by more than the freshness limit, so treat it with care.`,
    ),
  ];
  return {
    company: { ticker: snapshot.ticker, name: snapshot.companyName, sector: snapshot.sector, asOf: snapshot.asOf },
    facts,
    conflicts,
    documents: snapshot.documents.map((d) => ({ docId: d.docId, kind: d.kind, title: d.title, date: d.date })),
    excerpts,
    gaps,
  };
}
