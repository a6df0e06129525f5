/** The real 1,000-stock universe (../shared/data/universe) through the CSV universe adapter, as an operator would supply it. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileBlobReader } from '../../lambdas/adapters/sources/blob-reader';
import { createCsvUniverseSource } from '../../lambdas/adapters/sources/universe-csv';
import { GICS_SECTORS } from '../../lambdas/core/model';

const FILE = fileURLToPath(new URL('../../../shared/data/universe/universe_1000_us_derived.csv', import.meta.url));

describe('the real 1,000-stock universe', () => {
  const universe = createCsvUniverseSource({ blobs: fileBlobReader(), location: FILE });

  it('loads 1,000 companies with unique tickers, 10-digit CIKs and GICS sectors', async () => {
    const companies = await universe.list();
    expect(companies).toHaveLength(1000);
    expect(new Set(companies.map((c) => c.ticker)).size).toBe(1000);
    for (const company of companies) {
      expect(company.cik).toMatch(/^\d{10}$/);
      expect(GICS_SECTORS).toContain(company.sector);
    }
  });

  it('knows Apple by its CIK, and share classes such as BRK.B by their dotted tickers', async () => {
    expect(await universe.get('AAPL')).toMatchObject({
      name: 'Apple Inc.',
      cik: '0000320193',
      sector: 'Information Technology',
      exchange: 'NASDAQ',
    });
    expect(await universe.get('BRK.B')).toMatchObject({ cik: '0001067983', sector: 'Financials' });
  });
});
