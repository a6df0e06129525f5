/**
 * Split a filing's text (one paragraph per line, from `filingHtmlToText`) into the items the
 * pipeline reads, in the same `FilingSection` shape as the demo filings: 10-K Item 1 (Business),
 * Item 1A (Risk Factors) and Item 7 (MD&A); 10-Q Part I Item 2 (MD&A) and Part II Item 1A.
 *
 * Every item heading appears at least twice: in the table of contents ("Item 1. | Business | 1")
 * and where the item starts. Cross-references ("see Item 1A of this Form 10-K") may add more. So
 * for each item we take, of all the lines that look like its heading, the one followed by the most
 * text before the next heading; a table-of-contents line is followed by the next TOC line at once.
 */
import type { FilingSection } from '../../../core/model';

export const MDNA_TITLE = "Management's Discussion and Analysis of Financial Condition and Results of Operations";

/** Which items a form's text is split into, and the part of the form each one is in. */
interface ItemWanted {
  item: string;
  /** Roman part number the heading must sit under; undefined: any part (10-K item numbers are unique). */
  part?: 'I' | 'II';
  title: string;
}

const TEN_K_ITEMS: readonly ItemWanted[] = [
  { item: '1', title: 'Business' },
  { item: '1A', title: 'Risk Factors' },
  { item: '7', title: MDNA_TITLE },
];

const TEN_Q_ITEMS: readonly ItemWanted[] = [
  { item: '2', part: 'I', title: MDNA_TITLE },
  { item: '1A', part: 'II', title: 'Risk Factors' },
];

interface Heading {
  line: number;
  item: string;
  part: string | undefined;
}

/**
 * "Item 7.", "ITEM 1A:", "Item 2 — Properties", "Item 1. | Business | 1", but not a sentence that
 * starts with a cross-reference ("Item 1A of this report…": a lower-case word follows the number).
 * Headings are short lines; a long line that starts this way is prose.
 */
const HEADING = /^(?:ITEM|Item)\s*(\d{1,2}[A-Ca-c]?)(?:\s*[.:\-–—|]+\s*|\s+(?=[A-Z[(“"'’])|\s*$)/;
const PART = /^PART\s+(IV|III|II|I)\b\.?\s*(?:[—–\-:|].*)?$/i;
const MAX_HEADING_CHARS = 200;

/** Page furniture between items: a bare page number, or a running footer such as "Apple Inc. | 2025 Form 10-K | 17". */
const PAGE_FURNITURE = /^(?:\d{1,3}|.*\bForm 10-[KQ]\b.*\|\s*\d{1,3}|Table of Contents)$/i;

function headingsOf(lines: readonly string[]): Heading[] {
  const headings: Heading[] = [];
  let part: string | undefined;
  lines.forEach((text, line) => {
    if (text.length > MAX_HEADING_CHARS) return;
    const partMatch = PART.exec(text);
    if (partMatch) {
      part = partMatch[1]!.toUpperCase();
      return;
    }
    const match = HEADING.exec(text);
    if (match) headings.push({ line, item: match[1]!.toUpperCase(), part });
  });
  return headings;
}

/** The lines between a heading and the next heading of any item, blank lines and page furniture left out. */
function bodyAfter(lines: readonly string[], headings: readonly Heading[], index: number): string[] {
  const start = headings[index]!.line + 1;
  const end = headings[index + 1]?.line ?? lines.length;
  return lines
    .slice(start, end)
    .map((text) => text.trim())
    .filter((text) => text !== '' && !PAGE_FURNITURE.test(text));
}

function charCount(body: readonly string[]): number {
  return body.reduce((sum, text) => sum + text.length, 0);
}

/** The body of the occurrence of `wanted` followed by the most text, or undefined when none has any. */
function bestBody(lines: readonly string[], headings: readonly Heading[], wanted: ItemWanted): string[] | undefined {
  const partKnown = headings.some((heading) => heading.part !== undefined);
  let best: string[] | undefined;
  headings.forEach((heading, index) => {
    if (heading.item !== wanted.item) return;
    if (wanted.part && partKnown && heading.part !== wanted.part) return;
    const body = bodyAfter(lines, headings, index);
    if (charCount(body) > charCount(best ?? [])) best = body;
  });
  return best;
}

export interface SplitResult {
  sections: FilingSection[];
  /** Wanted items that had no heading with text after it, e.g. `["1A"]`. */
  missing: string[];
}

function split(text: string, wanted: readonly ItemWanted[]): SplitResult {
  const lines = text.split('\n');
  const headings = headingsOf(lines);
  const sections: FilingSection[] = [];
  const missing: string[] = [];
  for (const item of wanted) {
    const body = bestBody(lines, headings, item);
    if (body) sections.push({ item: item.item, title: item.title, text: body.join('\n') });
    else missing.push(item.item);
  }
  return { sections, missing };
}

/** Items 1, 1A and 7 of a 10-K's text. */
export function splitAnnualReport(text: string): SplitResult {
  return split(text, TEN_K_ITEMS);
}

/** Part I Item 2 (MD&A) and Part II Item 1A (Risk Factors) of a 10-Q's text. */
export function splitQuarterlyReport(text: string): SplitResult {
  return split(text, TEN_Q_ITEMS);
}
