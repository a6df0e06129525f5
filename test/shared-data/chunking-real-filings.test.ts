/**
 * The section chunker over 24 real 10-Ks split into items (../shared/data/edgar/10k_items): real
 * text has flattened tables, bullets on their own lines, headings, run-on legal sentences and
 * 100-page MD&As. No chunk may cross an item, every word must land in exactly one chunk of its own
 * item, and sizes stay bounded.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_MAX_WORDS, chunkBody, chunkDocuments, splitWords } from '../../lambdas/core/chunking/section-chunker';
import type { Chunk, ChunkSource } from '../../lambdas/core/chunking/section-chunker';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const ITEMS_DIR = join(DATA, 'edgar/10k_items');

const TenKItems = z.looseObject({ company: z.string(), filing_date: z.string(), filename: z.string() });

interface Filing {
  file: string;
  source: ChunkSource;
}

/** Item keys in filing order (item_1, item_1A, item_1B, item_2 … item_16). */
function itemOrder(key: string): [number, string] {
  const match = /^item_(\d+)([A-Z]?)$/.exec(key)!;
  return [Number(match[1]), match[2]!];
}

function loadFilings(): Filing[] {
  return readdirSync(ITEMS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw: unknown = JSON.parse(readFileSync(join(ITEMS_DIR, file), 'utf8'));
      const parsed = TenKItems.parse(raw);
      const items = Object.entries(parsed)
        .filter((entry): entry is [string, string] => /^item_\d+[A-Z]?$/.test(entry[0]) && typeof entry[1] === 'string')
        .sort(([a], [b]) => {
          const [na, sa] = itemOrder(a);
          const [nb, sb] = itemOrder(b);
          return na - nb || sa.localeCompare(sb);
        });
      const sections = items.map(([item, text]) => {
        // The first line is the item heading ("ITEM 1A. Risk Factors"): it becomes the title.
        const newline = text.indexOf('\n');
        const title = newline === -1 ? text : text.slice(0, newline);
        return { section: item, title, text: newline === -1 ? '' : text.slice(newline + 1) };
      });
      return {
        file,
        source: { docId: parsed.filename, kind: 'filings' as const, title: `${parsed.company} 10-K`, date: parsed.filing_date, sections },
      };
    });
}

const filings = loadFilings();
const chunked = filings.map((filing) => ({ ...filing, chunks: chunkDocuments([filing.source]) }));
const allChunks: Chunk[] = chunked.flatMap((f) => f.chunks);

describe('chunking real 10-K filings', () => {
  it('reads every filing in the shared data set', () => {
    expect(filings.length).toBeGreaterThanOrEqual(24);
    expect(allChunks.length).toBeGreaterThan(1_000);
  });

  it('never crosses an item: each item’s words appear in its own chunks, all of them, in order', () => {
    for (const { source, chunks } of chunked) {
      for (const section of source.sections) {
        const own = chunks.filter((c) => c.section === section.section);
        expect(own.flatMap((c) => splitWords(chunkBody(c)))).toEqual(splitWords(section.text));
        expect(own.every((c) => c.sectionTitle === splitWords(section.title).join(' '))).toBe(true);
      }
      // Chunks come out item by item: once an item is left, it never comes back.
      const order = chunks.map((c) => c.section).filter((s, i, all) => i === 0 || all[i - 1] !== s);
      expect(new Set(order).size).toBe(order.length);
    }
  });

  it('keeps every chunk within the word ceiling and most of them near the target', () => {
    const sizes = allChunks.map((c) => c.wordCount).sort((a, b) => a - b);
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(DEFAULT_MAX_WORDS);
    const median = sizes[Math.floor(sizes.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(170);
    expect(median).toBeLessThanOrEqual(260);
    // Small chunks only come from short items (or an item's tail): one per item at most.
    const small = allChunks.filter((c) => c.wordCount < 60);
    const itemsWithSmall = new Set(small.map((c) => `${c.docId}/${c.section}`));
    expect(small.length).toBe(itemsWithSmall.size);
  });

  it('copes with flattened tables, bullets and run-on text without losing or duplicating words', () => {
    // The data really contains these shapes (otherwise this test proves nothing).
    const texts = filings.flatMap((f) => f.source.sections.map((s) => s.text));
    expect(texts.some((t) => /^•$/m.test(t))).toBe(true);
    expect(texts.some((t) => /^\$?\s?\(?[\d,.]+\)?(\s+\$?\s?\(?[\d,.]+\)?%?){3,}$/m.test(t))).toBe(true);
    // A bullet glyph never sits alone on a chunk line: it is joined to its item.
    expect(
      allChunks.some((c) =>
        chunkBody(c)
          .split('\n')
          .some((line) => line === '•'),
      ),
    ).toBe(false);
    // Every chunk ends where its text ends: no empty lines, no stray whitespace.
    for (const chunk of allChunks) expect(chunkBody(chunk)).toBe(chunkBody(chunk).trim());
  });

  it('is deterministic on real text', () => {
    const again = filings.slice(0, 3).flatMap((f) => chunkDocuments([structuredClone(f.source)]));
    expect(again).toEqual(chunked.slice(0, 3).flatMap((f) => f.chunks));
  });
});
