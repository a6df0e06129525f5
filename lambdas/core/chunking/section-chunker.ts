/**
 * Section-aware chunking (docs/DESIGN.md §5.3). A chunk never crosses a section (a filing item, a research
 * note's thesis, a news body), so a retrieved chunk always belongs to one citable place. Inside a
 * section, chunks break at paragraph boundaries when they can and at sentence boundaries when they
 * must; a sentence is cut only when it alone exceeds `maxWords` (flattened tables, run-on legal
 * text). The section title is prefixed to each chunk's text so a retrieved chunk carries its
 * context ("Risk Factors", a headline) into the embedding and the prompt.
 *
 * Pure and deterministic: same input, same chunks, same ids and hashes.
 */
import { createHash } from 'node:crypto';
import type { SourceKind } from '../model';

/** Part of every embedding-cache key: bump it whenever the output of `chunkDocuments` changes. */
export const CHUNKER_VERSION = 'sec-v1';

export const DEFAULT_TARGET_WORDS = 220;
export const DEFAULT_MAX_WORDS = 300;

export interface ChunkSource {
  docId: string;
  kind: SourceKind;
  title: string;
  date: string;
  sections: Array<{ section: string; title: string; text: string }>;
}

export interface Chunk {
  /** `${docId}#${index}`. */
  chunkId: string;
  docId: string;
  kind: SourceKind;
  section: string;
  sectionTitle: string;
  /** 0-based position of the chunk within its document, across all its sections in order. */
  index: number;
  /** The section-title prefix line (when the title is not blank), then the body. */
  text: string;
  /** Words in the body (the prefix excluded); never more than `maxWords`. */
  wordCount: number;
  /** sha256 hex of the section id and the text: equal hashes mean the embedding input is unchanged. */
  contentHash: string;
}

export interface ChunkOptions {
  /** Chunks close once they reach about this many body words. Default 220. */
  targetWords?: number;
  /** Hard ceiling on body words per chunk. Default 300. */
  maxWords?: number;
}

// ---------------------------------------------------------------------------------------------
// Text units.

/** A sentence (or a piece of an over-long one) as a list of whitespace-free words. */
interface Sentence {
  words: string[];
  paragraph: number;
}

/** A run of whole sentences from one paragraph, the unit chunks are packed from. */
interface Segment {
  words: number;
  sentences: Sentence[];
  paragraph: number;
  /** A short line with no closing punctuation ("Key Metrics", "Liquidity"): belongs with what follows. */
  heading: boolean;
}

/**
 * Words that end in a period without ending a sentence. Splitting after them would strand "Inc."
 * or "U.S." at the start of the next chunk; over-splitting is harmless otherwise.
 */
const ABBREVIATIONS = new Set([
  'inc.',
  'corp.',
  'co.',
  'ltd.',
  'llc.',
  'plc.',
  'l.p.',
  'n.a.',
  'u.s.',
  'u.k.',
  'e.u.',
  'mr.',
  'mrs.',
  'ms.',
  'dr.',
  'no.',
  'nos.',
  'vs.',
  'v.',
  'e.g.',
  'i.e.',
  'etc.',
  'approx.',
  'jan.',
  'feb.',
  'mar.',
  'apr.',
  'jun.',
  'jul.',
  'aug.',
  'sep.',
  'sept.',
  'oct.',
  'nov.',
  'dec.',
  'st.',
  'jr.',
  'sr.',
  'fig.',
  'sec.',
  'art.',
  'dept.',
  'est.',
]);

/** Closing quotes and brackets that may follow a sentence's final punctuation. */
const TERMINAL = /[.!?]["'”’)\]]*$/;
/** What may open a new sentence: a capital, a digit, an opening quote/bracket, a bullet or a currency sign. */
const OPENER = /^["'“‘(\[•$€£]*[\p{Lu}\p{N}•]/u;

export function splitWords(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

function endsSentence(word: string, next: string | undefined): boolean {
  if (next === undefined) return true;
  if (!TERMINAL.test(word)) return false;
  if (ABBREVIATIONS.has(word.toLowerCase())) return false;
  // A single capital letter and a period is an initial ("John Q. Public"), not a sentence end.
  if (/^\p{Lu}\.$/u.test(word)) return false;
  return OPENER.test(next);
}

/** Sentences of one paragraph; any sentence longer than `maxWords` is cut into even pieces. */
function sentencesOf(words: string[], paragraph: number, maxWords: number): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  for (let i = 0; i < words.length; i += 1) {
    if (!endsSentence(words[i]!, words[i + 1])) continue;
    const sentence = words.slice(start, i + 1);
    start = i + 1;
    if (sentence.length <= maxWords) {
      sentences.push({ words: sentence, paragraph });
      continue;
    }
    // Even pieces rather than maxWords + a stub: keeps every piece near the same size.
    const pieces = Math.ceil(sentence.length / maxWords);
    const size = Math.ceil(sentence.length / pieces);
    for (let p = 0; p < sentence.length; p += size) sentences.push({ words: sentence.slice(p, p + size), paragraph });
  }
  return sentences;
}

function isHeading(words: string[]): boolean {
  return words.length > 0 && words.length <= 12 && !/[.!?:;,]["'”’)\]]*$/.test(words[words.length - 1]!);
}

/** A paragraph as whole-sentence segments of at most `targetWords` (one segment if it fits). */
function segmentsOf(paragraphWords: string[], paragraph: number, targetWords: number, maxWords: number): Segment[] {
  const sentences = sentencesOf(paragraphWords, paragraph, maxWords);
  const total = paragraphWords.length;
  if (total <= targetWords) {
    return [{ words: total, sentences, paragraph, heading: isHeading(paragraphWords) }];
  }
  // Aim for even segments so a 260-word paragraph becomes 130 + 130, not 220 + 40.
  const goal = Math.ceil(total / Math.ceil(total / targetWords));
  const segments: Segment[] = [];
  let current: Sentence[] = [];
  let count = 0;
  for (const sentence of sentences) {
    const n = sentence.words.length;
    if (count > 0 && (count + n > targetWords || count >= goal)) {
      segments.push({ words: count, sentences: current, paragraph, heading: false });
      current = [];
      count = 0;
    }
    current.push(sentence);
    count += n;
  }
  if (count > 0) segments.push({ words: count, sentences: current, paragraph, heading: false });
  return segments;
}

// ---------------------------------------------------------------------------------------------
// Packing.

interface Draft {
  segments: Segment[];
  words: number;
}

/**
 * Greedy packing of segments into chunks of about `targetWords`, never above `maxWords`: a segment
 * joins the current chunk when that brings the chunk nearer the target, so chunks may run past the
 * target (up to the ceiling) rather than close well short of it. A heading never ends a chunk when
 * the text it heads starts the next one, and a small tail joins its predecessor when it fits.
 */
function pack(segments: Segment[], targetWords: number, maxWords: number): Draft[] {
  const minWords = Math.floor(targetWords / 2);
  const drafts: Draft[] = [];
  let current: Draft = { segments: [], words: 0 };
  for (const segment of segments) {
    const combined = current.words + segment.words;
    // Take the segment when that lands nearer the target (never past the ceiling): a chunk at 150
    // words takes a 75-word paragraph (225), a chunk at 225 does not take another (300).
    const closer = combined <= maxWords && Math.abs(combined - targetWords) <= Math.abs(current.words - targetWords);
    if (current.words === 0 || closer) {
      current.segments.push(segment);
      current.words += segment.words;
      continue;
    }
    // Carry a trailing heading forward to the chunk holding the text it introduces. Only one: a
    // run of short lines is more likely a table than nested headings, and stays where it is.
    const last = current.segments[current.segments.length - 1]!;
    const carry = current.segments.length > 1 && last.heading && last.words + segment.words <= maxWords;
    if (carry) {
      current.segments.pop();
      current.words -= last.words;
    }
    drafts.push(current);
    current = carry ? { segments: [last, segment], words: last.words + segment.words } : { segments: [segment], words: segment.words };
  }
  if (current.words > 0) drafts.push(current);
  // A small tail joins its predecessor when the ceiling allows, instead of standing alone.
  if (drafts.length >= 2) {
    const last = drafts[drafts.length - 1]!;
    const previous = drafts[drafts.length - 2]!;
    if (last.words < minWords && previous.words + last.words <= maxWords) {
      previous.segments.push(...last.segments);
      previous.words += last.words;
      drafts.pop();
    }
  }
  return drafts;
}

/** Sentences of a paragraph are joined by spaces, paragraphs by newlines. */
function bodyOf(draft: Draft): string {
  const lines: string[] = [];
  let paragraph = -1;
  for (const segment of draft.segments) {
    for (const sentence of segment.sentences) {
      const words = sentence.words.join(' ');
      if (sentence.paragraph === paragraph) lines[lines.length - 1] += ` ${words}`;
      else lines.push(words);
      paragraph = sentence.paragraph;
    }
  }
  return lines.join('\n');
}

/** A line holding only a bullet glyph: EDGAR text often puts the bullet and its item on separate lines. */
const BULLET_ONLY = /^[•●◦▪■□➢►‣∙·*–—-]$/;

/** Paragraphs as word lists: one per non-blank line, a lone bullet joined to the line it marks. */
function paragraphsOf(text: string): string[][] {
  const paragraphs: string[][] = [];
  let pendingBullet: string[] = [];
  for (const line of text.split(/\r?\n|\r/)) {
    const words = splitWords(line);
    if (words.length === 0) continue;
    if (words.length === 1 && BULLET_ONLY.test(words[0]!)) {
      pendingBullet.push(words[0]!);
      continue;
    }
    paragraphs.push([...pendingBullet, ...words]);
    pendingBullet = [];
  }
  if (pendingBullet.length > 0) paragraphs.push(pendingBullet);
  return paragraphs;
}

/** The line prefixed to every chunk of a section: its title on one line, or nothing when blank. */
export function chunkPrefix(sectionTitle: string): string {
  const title = splitWords(sectionTitle).join(' ');
  return title === '' ? '' : `${title}\n`;
}

/** A chunk's body: its text without the section-title prefix. */
export function chunkBody(chunk: Pick<Chunk, 'text' | 'sectionTitle'>): string {
  const prefix = chunkPrefix(chunk.sectionTitle);
  return chunk.text.startsWith(prefix) ? chunk.text.slice(prefix.length) : chunk.text;
}

function contentHash(section: string, text: string): string {
  return createHash('sha256').update(section).update('\u0000').update(text).digest('hex');
}

function validate(options: ChunkOptions): { targetWords: number; maxWords: number } {
  const targetWords = options.targetWords ?? DEFAULT_TARGET_WORDS;
  const maxWords = options.maxWords ?? Math.max(DEFAULT_MAX_WORDS, targetWords);
  if (!Number.isInteger(targetWords) || targetWords < 1) throw new RangeError(`targetWords must be a positive integer, got ${targetWords}`);
  if (!Number.isInteger(maxWords) || maxWords < targetWords) {
    throw new RangeError(`maxWords must be an integer no smaller than targetWords (${targetWords}), got ${maxWords}`);
  }
  return { targetWords, maxWords };
}

/**
 * Split documents into retrieval chunks.
 *
 * Per section: paragraphs are the text's lines (real filings put one paragraph, table row or
 * bullet per line; blank lines are ignored), sentences are split at `.`/`!`/`?` followed by a
 * capitalised or numeric word (common abbreviations excepted). Whitespace inside a paragraph is
 * normalised to single spaces; every word of the section appears in exactly one chunk body, in
 * order. Sections without words produce no chunks. Chunk indexes count up through the document.
 *
 * @throws RangeError when `targetWords`/`maxWords` are not positive integers with max ≥ target.
 */
export function chunkDocuments(docs: ChunkSource[], options: ChunkOptions = {}): Chunk[] {
  const { targetWords, maxWords } = validate(options);
  const chunks: Chunk[] = [];
  for (const doc of docs) {
    let index = 0;
    for (const section of doc.sections) {
      const segments = paragraphsOf(section.text).flatMap((words, paragraph) => segmentsOf(words, paragraph, targetWords, maxWords));
      const prefix = chunkPrefix(section.title);
      const sectionTitle = prefix.trimEnd();
      for (const draft of pack(segments, targetWords, maxWords)) {
        const text = prefix + bodyOf(draft);
        chunks.push({
          chunkId: `${doc.docId}#${index}`,
          docId: doc.docId,
          kind: doc.kind,
          section: section.section,
          sectionTitle,
          index,
          text,
          wordCount: draft.words,
          contentHash: contentHash(section.section, text),
        });
        index += 1;
      }
    }
  }
  return chunks;
}
