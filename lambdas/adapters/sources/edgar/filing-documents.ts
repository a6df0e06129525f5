/**
 * The text of the filings a brief rests on, from www.sec.gov/Archives: a 10-K's or 10-Q's primary
 * document split into items, and an 8-K's EX-99.1 (the earnings press release of an item 2.02
 * "Results of Operations and Financial Condition" filing), found through the filing's index page.
 */
import type { FilingSection } from '../../../core/model';
import { filingHtmlToText } from './filing-html';
import { splitAnnualReport, splitQuarterlyReport } from './filing-items';

/** The folder of one filing under `/Archives/edgar/data`: the CIK without zeros, the accession without dashes. */
export function archiveFolderOf(cik: string, accessionNumber: string): string {
  return `/Archives/edgar/data/${Number(cik)}/${accessionNumber.replaceAll('-', '')}`;
}

/** The path of one document of a filing, e.g. its `primaryDocument` from submissions. */
export function archivePathOf(cik: string, accessionNumber: string, document: string): string {
  return `${archiveFolderOf(cik, accessionNumber)}/${document}`;
}

/** The filing's index page, which lists every document with its type (`EX-99.1`). */
export function filingIndexPathOf(cik: string, accessionNumber: string): string {
  return archivePathOf(cik, accessionNumber, `${accessionNumber}-index.htm`);
}

/** Thrown when a document was fetched but holds none of the text we look for. */
export class FilingTextError extends Error {
  override readonly name = 'FilingTextError';
}

/** The items of a 10-K or 10-Q document. @throws FilingTextError when it has none of them. */
export function reportSectionsOf(html: string, form: '10-K' | '10-Q'): FilingSection[] {
  const text = filingHtmlToText(html);
  const { sections, missing } = form === '10-K' ? splitAnnualReport(text) : splitQuarterlyReport(text);
  if (sections.length === 0) {
    throw new FilingTextError(`no ${missing.map((item) => `Item ${item}`).join(', ')} heading with text after it`);
  }
  return sections;
}

const EX_99_1 = /^EX-99\.0?1$/i;
const DOCUMENT_NAME = /^([\w.-]+\.(?:htm|html|txt))\b/i;

/**
 * The file name of the EX-99.1 exhibit in a filing's `-index.htm` (its document table has the
 * columns Seq | Description | Document | Type | Size); undefined when the filing has none.
 */
export function exhibit991Of(indexHtml: string): string | undefined {
  for (const row of filingHtmlToText(indexHtml).split('\n')) {
    const cells = row.split(' | ');
    if (!cells.some((cell) => EX_99_1.test(cell))) continue;
    for (const cell of cells) {
      const match = DOCUMENT_NAME.exec(cell);
      if (match) return match[1];
    }
  }
  return undefined;
}

export const RESULTS_RELEASE_TITLE = 'Results of Operations and Financial Condition (press release, EX-99.1)';

/** The press release as one section, item 2.02 (the 8-K item it is furnished under). */
export function pressReleaseSectionsOf(html: string): FilingSection[] {
  const text = filingHtmlToText(html);
  if (text.trim() === '') throw new FilingTextError('the EX-99.1 exhibit has no text');
  return [{ item: '2.02', title: RESULTS_RELEASE_TITLE, text }];
}
