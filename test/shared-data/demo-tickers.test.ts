/**
 * The demo universe never attaches synthetic numbers to a real company (docs/DESIGN.md §3): no fictional
 * ticker or company name may exist in the real SEC ticker list or the real 1,000-stock universe.
 * The generator never reads these files; this test checks its output against them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDemoSources, DEMO_SEED } from '../../lambdas/adapters/sources/demo';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

const secList = Object.values(
  JSON.parse(readFileSync(`${DATA}universe/sec_company_tickers_2026-02.json`, 'utf8')) as Record<string, { ticker: string; title: string }>,
);

/** Fields of one CSV line, honouring double-quoted fields with commas and doubled quotes. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

const [header, ...rows] = readFileSync(`${DATA}universe/universe_1000_us_derived.csv`, 'utf8').trim().split(/\r?\n/);
const columns = csvFields(header!);
const derived = rows.map((line) => {
  const fields = csvFields(line);
  return { ticker: fields[columns.indexOf('ticker')]!, name: fields[columns.indexOf('name')]! };
});

const realTickers = new Set([...secList.map((e) => e.ticker.toUpperCase()), ...derived.map((e) => e.ticker.toUpperCase())]);
const realNames = [...secList.map((e) => e.title), ...derived.map((e) => e.name)];

function normalise(name: string): string {
  return name
    .toUpperCase()
    .replace(/[^A-Z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const realNameSet = new Set(realNames.map(normalise));
const realWords = new Set(realNames.flatMap((n) => normalise(n).split(' ')));

describe('demo tickers and names against the real lists', () => {
  it('reads the real lists it checks against', () => {
    expect(secList.length).toBe(10_338);
    expect(derived.length).toBe(1000);
    expect(realTickers.has('AAPL')).toBe(true);
  });

  for (const seed of [DEMO_SEED, 1, 42]) {
    it(`uses no real ticker and no real company name (seed ${seed})`, async () => {
      const profiles = await createDemoSources({ seed }).universe.list();
      expect(profiles).toHaveLength(1000);
      const tickerClashes = profiles.filter((p) => realTickers.has(p.ticker));
      expect(tickerClashes.map((p) => p.ticker)).toEqual([]);
      const nameClashes = profiles.filter((p) => realNameSet.has(normalise(p.name)));
      expect(nameClashes.map((p) => p.name)).toEqual([]);
      // Stronger: the invented word that makes each name is not a word of any real company's name.
      const stemClashes = profiles.filter((p) => realWords.has(normalise(p.name.split(' ')[0]!)));
      expect(stemClashes.map((p) => p.name)).toEqual([]);
    });
  }

  it('opens every fictional ticker with a letter pair no real ticker opens with', async () => {
    const realOpenings = new Set([...realTickers].map((t) => t.slice(0, 2)));
    const profiles = await createDemoSources().universe.list();
    const openings = new Set(profiles.map((p) => p.ticker.slice(0, 2)));
    expect([...openings].filter((o) => realOpenings.has(o))).toEqual([]);
  });
});
