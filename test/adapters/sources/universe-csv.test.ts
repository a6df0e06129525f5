import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceFormatError } from '../../../lambdas/core/errors';
import { createCsvUniverseSource, parseUniverseCsv } from '../../../lambdas/adapters/sources/universe-csv';
import { fileBlobReader } from '../../../lambdas/adapters/sources/blob-reader';

const HEADER = 'ticker,name,cik,sector,industry';

function formatError(text: string): string {
  try {
    parseUniverseCsv(text, 'universe.csv');
  } catch (error) {
    expect(error).toBeInstanceOf(SourceFormatError);
    return (error as Error).message;
  }
  throw new Error('expected the universe to be rejected');
}

describe('a universe CSV', () => {
  it('becomes company profiles in file order, CIKs zero-padded, Yahoo-style sectors named as GICS', () => {
    const profiles = parseUniverseCsv(
      [
        HEADER,
        'AAPL,Apple Inc.,320193,Information Technology,"Technology Hardware, Storage & Peripherals"',
        'XOM,Exxon Mobil,34088,Energy,Integrated Oil & Gas',
        'ZTS,Zoetis,1555280,Healthcare,Drug Manufacturers',
      ].join('\n'),
      'universe.csv',
    );
    expect(profiles.map((p) => p.ticker)).toEqual(['AAPL', 'XOM', 'ZTS']);
    expect(profiles[0]).toEqual({
      ticker: 'AAPL',
      name: 'Apple Inc.',
      cik: '0000320193',
      sector: 'Information Technology',
      industry: 'Technology Hardware, Storage & Peripherals',
      fiscalYearEndMonth: 12,
      fiscalYearEndInferred: true,
    });
    expect(profiles[2]!.sector).toBe('Health Care');
  });

  it('ignores extra columns, in any order, and reads the optional exchange and fiscal year end', () => {
    const [profile] = parseUniverseCsv(
      [
        'in_sp500,cik,Ticker,exchange,name,sector,industry,fiscal_year_end,notes',
        '1,320193,aapl,Nasdaq,Apple Inc.,Technology,Consumer Electronics,0927,anything',
      ].join('\n'),
      'universe.csv',
    );
    expect(profile).toEqual({
      ticker: 'AAPL',
      name: 'Apple Inc.',
      cik: '0000320193',
      sector: 'Information Technology',
      industry: 'Consumer Electronics',
      exchange: 'NASDAQ',
      fiscalYearEndMonth: 9,
    });
  });

  it('names the missing columns on line 1', () => {
    expect(formatError('ticker,name,sector\nAAPL,Apple,Technology')).toBe(
      'universe.csv line 1: missing columns cik, industry (needs ticker,name,cik,sector,industry)',
    );
  });

  it.each(['abc', '0', '-5', '12345678901', '3.5', ''])('rejects the CIK %j naming its line', (cik) => {
    const message = formatError([HEADER, 'AAPL,Apple,320193,Technology,Hardware', `BAD,Bad Co,${cik},Energy,Oil`].join('\n'));
    expect(message).toMatch(/^universe\.csv line 3: cik /);
    expect(message).toContain('is not a CIK (a positive integer of at most 10 digits)');
  });

  it('rejects a duplicate ticker naming both lines', () => {
    expect(
      formatError(
        [
          HEADER,
          'AAPL,Apple,320193,Technology,Hardware',
          'MSFT,Microsoft,789019,Technology,Software',
          'aapl,Apple again,320193,Technology,Hardware',
        ].join('\n'),
      ),
    ).toBe('universe.csv line 4: duplicate ticker AAPL (first on line 2)');
  });

  it('rejects an unknown sector, a row of the wrong length and an empty universe, each in one line', () => {
    expect(formatError([HEADER, 'AAPL,Apple,320193,Tech stuff,Hardware'].join('\n'))).toMatch(
      /^universe\.csv line 2: sector "Tech stuff" is not a GICS sector/,
    );
    expect(formatError([HEADER, 'AAPL,Apple,320193'].join('\n'))).toMatch(/^universe\.csv line 2: /);
    expect(formatError(HEADER)).toBe('universe.csv: the universe has no companies');
    for (const message of [formatError(HEADER), formatError(`${HEADER}\nAAPL,Apple,x,Technology,Hardware`)])
      expect(message).not.toContain('\n');
  });

  it('accepts any CIK of 1 to 10 digits above zero and pads it to 10', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999_999_999 }), (cik) => {
        const [profile] = parseUniverseCsv(`${HEADER}\nABC,Abc Corp,${cik},Energy,Oil`, 'u.csv');
        expect(profile!.cik).toBe(String(cik).padStart(10, '0'));
        expect(Number(profile!.cik)).toBe(cik);
      }),
    );
  });
});

describe('the CSV universe source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fa-universe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file once and answers list and get, case-insensitively, with copies', async () => {
    const file = join(dir, 'universe.csv');
    writeFileSync(file, `${HEADER}\nAAPL,Apple,320193,Technology,Hardware\nMSFT,Microsoft,789019,Technology,Software\n`);
    const universe = createCsvUniverseSource({ blobs: fileBlobReader(), location: file });
    expect((await universe.list()).map((c) => c.ticker)).toEqual(['AAPL', 'MSFT']);
    writeFileSync(file, HEADER); // a process reads its universe once
    expect((await universe.get('msft'))?.cik).toBe('0000789019');
    expect(await universe.get('ZZZZ')).toBeUndefined();
    const first = (await universe.get('AAPL'))!;
    first.name = 'changed';
    expect((await universe.get('AAPL'))!.name).toBe('Apple');
  });

  it('fails with a one-line reason for a missing file, and tries again on the next call', async () => {
    const file = join(dir, 'later.csv');
    const universe = createCsvUniverseSource({ blobs: fileBlobReader(), location: file });
    await expect(universe.list()).rejects.toThrow(`no file at ${file}`);
    writeFileSync(file, `${HEADER}\nAAPL,Apple,320193,Technology,Hardware\n`);
    expect(await universe.list()).toHaveLength(1);
  });
});
