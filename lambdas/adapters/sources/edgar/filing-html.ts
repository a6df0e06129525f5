/**
 * EDGAR filing HTML (plain HTML or inline XBRL XHTML) to plain text, one paragraph per line, the
 * shape the section chunker reads (a line is a paragraph). htmlparser2's streaming parser keeps a
 * 1.5 MB 10-K cheap and copes with the malformed markup older filings carry.
 *
 * What is dropped, and why:
 * - `ix:header` and anything styled `display:none`: the hidden XBRL facts (dei cover data, context
 *   definitions) would otherwise appear as a run of numbers and URIs at the top of the text;
 * - `script`, `style`, `head`, `title`: never reader-visible text.
 *
 * Tables: every row becomes one line with its non-empty cells joined by " | ". SEC tables put the
 * `$` sign, the closing `)` of a negative figure and the `%` sign in cells of their own; they are
 * glued back to their figure so "$ | 416,161" reads "$416,161" and "(1,234 | )" reads "(1,234)".
 */
import { Parser } from 'htmlparser2';

const SKIPPED_TAGS = new Set(['script', 'style', 'head', 'title', 'ix:header', 'noscript', 'template']);

/** Tags that end the line before them and after them. */
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'blockquote',
  'br',
  'caption',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'ul',
]);

const CELL_TAGS = new Set(['td', 'th']);

/** `display:none` in an inline style, however it is spaced or cased. */
function isHidden(attributes: Record<string, string>): boolean {
  return /display\s*:\s*none/i.test(attributes.style ?? '');
}

/** Runs of whitespace (no-break spaces included) as one space. */
function collapse(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/** Glue the `$`, `)` and `%` cells SEC tables split off back onto their figure; drop empty cells. */
export function joinTableCells(cells: readonly string[]): string {
  const out: string[] = [];
  let pendingPrefix = '';
  for (const raw of cells) {
    const cell = collapse(raw);
    if (cell === '') continue;
    if (/^[$€£¥]$/.test(cell)) {
      pendingPrefix += cell;
      continue;
    }
    if (/^[)%]+$|^\)%$|^%\)$/.test(cell) && out.length > 0) {
      out[out.length - 1] += cell;
      continue;
    }
    out.push(pendingPrefix + cell);
    pendingPrefix = '';
  }
  if (pendingPrefix !== '') out.push(pendingPrefix);
  return out.join(' | ');
}

/** Collects text into lines; table rows collect their cells first. */
class TextCollector {
  readonly lines: string[] = [];
  private line = '';
  private cells: string[] | undefined;
  private cell: string | undefined;

  text(chunk: string): void {
    if (this.cell !== undefined) this.cell += chunk;
    else this.line += chunk;
  }

  endLine(): void {
    if (this.cell !== undefined) {
      // A block inside a table cell (a <p> or <div> in a <td>) is only a space within the cell.
      this.cell += ' ';
      return;
    }
    const text = collapse(this.line);
    if (text !== '') this.lines.push(text);
    this.line = '';
  }

  startRow(): void {
    this.endLine();
    this.cells = [];
  }

  startCell(): void {
    if (this.cells === undefined) this.startRow();
    this.endCell();
    this.cell = '';
  }

  endCell(): void {
    if (this.cell !== undefined) this.cells?.push(this.cell);
    this.cell = undefined;
  }

  endRow(): void {
    this.endCell();
    if (this.cells === undefined) return;
    const row = joinTableCells(this.cells);
    this.cells = undefined;
    if (row !== '') this.lines.push(row);
  }
}

/**
 * The reader-visible text of a filing document: one paragraph or table row per line, whitespace
 * collapsed, entities decoded, hidden XBRL and scripts left out.
 */
export function filingHtmlToText(html: string): string {
  const collector = new TextCollector();
  // One entry per open element: is text inside it skipped? Kept in step with open and close tags,
  // which htmlparser2 balances itself (implied closes are reported too).
  const skipped: boolean[] = [];
  const skipping = (): boolean => skipped.length > 0 && skipped[skipped.length - 1]!;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const skip = skipping() || SKIPPED_TAGS.has(name) || isHidden(attributes);
        skipped.push(skip);
        if (skip) return;
        if (name === 'tr') collector.startRow();
        else if (CELL_TAGS.has(name)) collector.startCell();
        else if (BLOCK_TAGS.has(name)) collector.endLine();
      },
      ontext(text) {
        if (!skipping()) collector.text(text);
      },
      onclosetag(name) {
        const wasSkipped = skipped.pop() ?? false;
        if (wasSkipped) return;
        if (name === 'tr') collector.endRow();
        else if (CELL_TAGS.has(name)) collector.endCell();
        else if (name === 'table') {
          collector.endRow();
          collector.endLine();
        } else if (BLOCK_TAGS.has(name)) collector.endLine();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  collector.endRow();
  collector.endLine();
  return collector.lines.join('\n');
}
