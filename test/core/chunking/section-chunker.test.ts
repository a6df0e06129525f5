import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHUNKER_VERSION,
  DEFAULT_MAX_WORDS,
  DEFAULT_TARGET_WORDS,
  chunkBody,
  chunkDocuments,
  splitWords,
} from '../../../lambdas/core/chunking/section-chunker';
import type { Chunk, ChunkSource } from '../../../lambdas/core/chunking/section-chunker';

// ---------------------------------------------------------------------------------------------
// Generators.

const VOCABULARY = [
  'revenue',
  'margin',
  'growth',
  'segment',
  'customers',
  'guidance',
  'fiscal',
  'quarter',
  'operating',
  'cash',
  'flow',
  'debt',
  'risk',
  'supply',
  'demand',
  'pricing',
  'competition',
  'regulation',
  'Inc.',
  'U.S.',
  '$1,234',
  '(12.5)%',
  '—',
  '•',
  'e.g.',
  'approximately',
  '2025',
  'Q3',
  'million',
  'billion',
  '“Company”',
  'net',
  'income',
];

const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VOCABULARY) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== '' && !/\s/.test(s)) },
);

/** Messy text: words with punctuation, sentence ends, random spacing, blank lines, tabs and CRs. */
const messyText = fc
  .array(fc.tuple(word, fc.constantFrom(' ', ' ', ' ', '  ', '\t', '. ', '.\n', '\n', '\n\n', '\r\n', '! ', '? ', ' \u00a0 ')), {
    maxLength: 900,
  })
  .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

const sectionArb = (id: number) =>
  fc.record({
    section: fc.constant<string>(`item_${id}`),
    title: fc.oneof(fc.constant(''), fc.constantFrom('Risk Factors', 'Business', "Management's  Discussion\nand Analysis")),
    text: messyText,
  });

const docArb = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.record({
    docId: fc.constantFrom('0001-26-000001', 'news-42', 'note-7'),
    kind: fc.constantFrom('filings' as const, 'news' as const, 'research' as const, 'fundamentals' as const),
    title: fc.constant('A document'),
    date: fc.constant('2026-01-15'),
    sections: fc.tuple(...Array.from({ length: n }, (_, i) => sectionArb(i + 1))),
  }),
);

const optionsArb = fc
  .record({ targetWords: fc.integer({ min: 5, max: 260 }), extra: fc.integer({ min: 0, max: 120 }) })
  .map(({ targetWords, extra }) => ({ targetWords, maxWords: targetWords + extra }));

function chunksOfSection(chunks: Chunk[], docId: string, section: string): Chunk[] {
  return chunks.filter((c) => c.docId === docId && c.section === section);
}

/** A capitalised sentence of n words ending in a period; the words are lower-case and dot-free. */
function sentence(n: number, seed: number): string {
  const words = Array.from({ length: n }, (_, i) => VOCABULARY[(seed + i * 7) % 15]!.toLowerCase());
  words[0] = `S${seed}`;
  return `${words.join(' ')}.`;
}

// ---------------------------------------------------------------------------------------------

describe('chunkDocuments', () => {
  it('names its version so the embedding cache can be invalidated when the chunker changes', () => {
    expect(CHUNKER_VERSION).toBe('sec-v1');
    expect(DEFAULT_TARGET_WORDS).toBeGreaterThanOrEqual(180);
    expect(DEFAULT_TARGET_WORDS).toBeLessThanOrEqual(250);
  });

  it('covers every word of every section exactly once and in order, section by section', () => {
    fc.assert(
      fc.property(docArb, optionsArb, (doc, options) => {
        const chunks = chunkDocuments([doc], options);
        for (const section of doc.sections) {
          const bodies = chunksOfSection(chunks, doc.docId, section.section).flatMap((c) => splitWords(chunkBody(c)));
          expect(bodies).toEqual(splitWords(section.text));
        }
        // Every chunk belongs to one of the sections (nothing invented, nothing crosses over).
        const sections = new Set(doc.sections.map((s) => s.section));
        expect(chunks.every((c) => sections.has(c.section))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('never lets a chunk body exceed maxWords, and reports its word count truthfully', () => {
    fc.assert(
      fc.property(docArb, optionsArb, (doc, options) => {
        for (const chunk of chunkDocuments([doc], options)) {
          const words = splitWords(chunkBody(chunk)).length;
          expect(chunk.wordCount).toBe(words);
          expect(words).toBeGreaterThan(0);
          expect(words).toBeLessThanOrEqual(options.maxWords);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('returns the same chunks, ids and hashes for the same input', () => {
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 3 }), optionsArb, (docs, options) => {
        expect(chunkDocuments(structuredClone(docs), options)).toEqual(chunkDocuments(docs, options));
      }),
      { numRuns: 60 },
    );
  });

  it('numbers chunks 0..n-1 through each document and ids them docId#index', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const chunks = chunkDocuments([doc]);
        chunks.forEach((chunk, i) => {
          expect(chunk.index).toBe(i);
          expect(chunk.chunkId).toBe(`${doc.docId}#${i}`);
          expect(chunk.kind).toBe(doc.kind);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('only breaks inside a paragraph at a sentence boundary when every sentence fits', () => {
    const paragraphs = fc.array(fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.nat(1000)), { minLength: 1, maxLength: 12 }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(paragraphs, fc.integer({ min: 60, max: 240 }), (spec, targetWords) => {
        const text = spec.map((sentences) => sentences.map(([n, seed]) => sentence(n, seed)).join(' ')).join('\n');
        // Word positions at which a sentence starts, across the section.
        const starts = new Set<number>();
        let position = 0;
        for (const sentences of spec) {
          for (const [n] of sentences) {
            starts.add(position);
            position += n;
          }
        }
        const chunks = chunkDocuments(
          [{ docId: 'd', kind: 'filings', title: 't', date: '2026-01-01', sections: [{ section: 's', title: 'T', text }] }],
          { targetWords, maxWords: targetWords + 60 },
        );
        let offset = 0;
        for (const chunk of chunks) {
          expect(starts.has(offset)).toBe(true);
          offset += chunk.wordCount;
        }
        expect(offset).toBe(position);
      }),
      { numRuns: 150 },
    );
  });

  it('cuts a single sentence longer than maxWords into even pieces no longer than maxWords', () => {
    const text = `${sentence(20, 1)} ${Array.from({ length: 1_000 }, (_, i) => `w${i}`).join(' ')}. ${sentence(15, 2)}`;
    const chunks = chunkDocuments(
      [{ docId: 'd', kind: 'filings', title: 't', date: '2026-01-01', sections: [{ section: 's', title: 'Table', text }] }],
      { targetWords: 200, maxWords: 300 },
    );
    expect(chunks.every((c) => c.wordCount <= 300)).toBe(true);
    expect(chunks.flatMap((c) => splitWords(chunkBody(c)))).toEqual(splitWords(text));
    // 1,000 words → 4 pieces of 250, not 300 + 300 + 300 + 100.
    expect(Math.min(...chunks.map((c) => c.wordCount))).toBeGreaterThanOrEqual(200);
  });

  it('packs ordinary prose into chunks of about the target size', () => {
    const text = Array.from({ length: 60 }, (_, p) =>
      Array.from({ length: 4 }, (_, s) => sentence(12 + ((p * 5 + s * 3) % 14), p * 10 + s)).join(' '),
    ).join('\n');
    const chunks = chunkDocuments([
      { docId: 'd', kind: 'filings', title: 't', date: '2026-01-01', sections: [{ section: 'item_7', title: 'MD&A', text }] },
    ]);
    const sizes = chunks.map((c) => c.wordCount);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(DEFAULT_MAX_WORDS);
    // All but possibly the last are at least half the target, and the typical one is near it.
    expect(sizes.slice(0, -1).every((n) => n >= DEFAULT_TARGET_WORDS / 2)).toBe(true);
    const sorted = [...sizes].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(180);
    expect(median).toBeLessThanOrEqual(250);
  });

  it('keeps paragraphs whole when they fit and joins them with newlines', () => {
    const paragraphs = [sentence(40, 1), sentence(50, 2), sentence(60, 3), sentence(70, 4), sentence(80, 5)];
    const chunks = chunkDocuments(
      [
        {
          docId: 'd',
          kind: 'news',
          title: 't',
          date: '2026-01-01',
          sections: [{ section: 'body', title: 'Headline', text: paragraphs.join('\n\n') }],
        },
      ],
      { targetWords: 160, maxWords: 200 },
    );
    const bodies = chunks.map((c) => chunkBody(c));
    expect(bodies).toEqual([`${paragraphs[0]}\n${paragraphs[1]}\n${paragraphs[2]}`, `${paragraphs[3]}\n${paragraphs[4]}`]);
  });

  it('prefixes the section title to the chunk text for retrieval context', () => {
    const [chunk] = chunkDocuments([
      {
        docId: 'd',
        kind: 'filings',
        title: 't',
        date: '2026-01-01',
        sections: [{ section: 'item_1A', title: ' Risk\n Factors ', text: 'Demand may fall.' }],
      },
    ]);
    expect(chunk!.sectionTitle).toBe('Risk Factors');
    expect(chunk!.text).toBe('Risk Factors\nDemand may fall.');
    expect(chunkBody(chunk!)).toBe('Demand may fall.');
  });

  it('moves a heading forward to the chunk holding the text it introduces', () => {
    const text = [sentence(100, 1), sentence(90, 2), 'Liquidity and Capital Resources', sentence(120, 3)].join('\n');
    const chunks = chunkDocuments(
      [{ docId: 'd', kind: 'filings', title: 't', date: '2026-01-01', sections: [{ section: 'item_7', title: 'MD&A', text }] }],
      { targetWords: 200, maxWords: 260 },
    );
    expect(chunks).toHaveLength(2);
    expect(chunkBody(chunks[1]!).startsWith('Liquidity and Capital Resources\n')).toBe(true);
  });

  it('keeps a bullet glyph on the same line as the item it marks', () => {
    const [chunk] = chunkDocuments([
      {
        docId: 'd',
        kind: 'filings',
        title: 't',
        date: '2026-01-01',
        sections: [{ section: 's', title: '', text: 'Risks include:\n•\nSupply shortages.\n•\nPrice wars.' }],
      },
    ]);
    expect(chunk!.text).toBe('Risks include:\n• Supply shortages.\n• Price wars.');
  });

  it('does not split after common abbreviations', () => {
    const text = `${sentence(8, 1)} Acme Inc. Widgets grew in the U.S. Market share rose. ${sentence(8, 2)}`;
    const chunks = chunkDocuments(
      [{ docId: 'd', kind: 'filings', title: 't', date: '2026-01-01', sections: [{ section: 's', title: '', text }] }],
      { targetWords: 12, maxWords: 20 },
    );
    expect(chunks.some((c) => chunkBody(c).startsWith('Widgets'))).toBe(false);
  });

  it('hashes the section and the text, so a moved or edited chunk reads as changed', () => {
    const base: ChunkSource = {
      docId: 'd',
      kind: 'news',
      title: 't',
      date: '2026-01-01',
      sections: [{ section: 'body', title: 'H', text: 'Shares rose.' }],
    };
    const [chunk] = chunkDocuments([base]);
    expect(chunk!.contentHash).toBe(createHash('sha256').update('body').update('\u0000').update(chunk!.text).digest('hex'));
    const [moved] = chunkDocuments([{ ...base, sections: [{ ...base.sections[0]!, section: 'lead' }] }]);
    const [edited] = chunkDocuments([{ ...base, sections: [{ ...base.sections[0]!, text: 'Shares fell.' }] }]);
    expect(moved!.contentHash).not.toBe(chunk!.contentHash);
    expect(edited!.contentHash).not.toBe(chunk!.contentHash);
  });

  it('produces no chunks for empty sections and documents', () => {
    expect(
      chunkDocuments([
        { docId: 'd', kind: 'filings', title: 't', date: '2026-01-01', sections: [] },
        { docId: 'e', kind: 'filings', title: 't', date: '2026-01-01', sections: [{ section: 's', title: 'T', text: ' \n\t\n ' }] },
      ]),
    ).toEqual([]);
  });

  it('rejects a maxWords below targetWords and non-positive sizes', () => {
    expect(() => chunkDocuments([], { targetWords: 200, maxWords: 100 })).toThrow(RangeError);
    expect(() => chunkDocuments([], { targetWords: 0 })).toThrow(RangeError);
    expect(() => chunkDocuments([], { targetWords: 1.5 })).toThrow(RangeError);
  });
});
