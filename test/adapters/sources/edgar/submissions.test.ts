/**
 * The submissions parser (columnar `filings.recent` to rows) and the choice of report filings the
 * filings source makes from it, on small payloads in EDGAR's shape.
 */
import { describe, expect, it } from 'vitest';
import {
  EdgarFilingsSource,
  filingDocumentUrl,
  selectReportFilings,
} from '../../../../lambdas/adapters/sources/edgar/edgar-filings-source';
import { fiscalYearEndMonthOf, parseSubmissions } from '../../../../lambdas/adapters/sources/edgar/submissions';
import type { SubmissionFiling, Submissions } from '../../../../lambdas/adapters/sources/edgar/submissions';
import type { CompanyProfile } from '../../../../lambdas/core/model/index';
import { NotFoundError, SourceFormatError } from '../../../../lambdas/core/errors';

function payload(rows: Array<[accession: string, form: string, filed: string, report: string]>, extra: Record<string, unknown> = {}) {
  return {
    cik: '0000000042',
    name: 'Example Holdings',
    tickers: ['EXH'],
    fiscalYearEnd: '0926',
    entityType: 'operating',
    filings: {
      recent: {
        accessionNumber: rows.map((r) => r[0]),
        form: rows.map((r) => r[1]),
        filingDate: rows.map((r) => r[2]),
        reportDate: rows.map((r) => r[3]),
        acceptanceDateTime: rows.map(() => '2025-01-01T00:00:00.000Z'),
        primaryDocument: rows.map((r) => `${r[0]}.htm`),
      },
      files: [],
    },
    ...extra,
  };
}

describe('parseSubmissions', () => {
  it('turns the columnar recent filings into rows and pads the CIK', () => {
    const parsed = parseSubmissions(
      payload(
        [
          ['a-1', '10-K', '2025-10-31', '2025-09-27'],
          ['a-2', '8-K', '2025-10-30', ''],
        ],
        { cik: 42 },
      ),
    );
    expect(parsed).toEqual({
      cik: '0000000042',
      name: 'Example Holdings',
      tickers: ['EXH'],
      fiscalYearEnd: '0926',
      filings: [
        { accessionNumber: 'a-1', form: '10-K', filingDate: '2025-10-31', reportDate: '2025-09-27', primaryDocument: 'a-1.htm', items: '' },
        { accessionNumber: 'a-2', form: '8-K', filingDate: '2025-10-30', reportDate: '', primaryDocument: 'a-2.htm', items: '' },
      ],
    });
  });

  it('rejects columns of unequal length and missing columns with a one-line reason', () => {
    const ragged = payload([['a-1', '10-K', '2025-10-31', '2025-09-27']]);
    ragged.filings.recent.form.push('10-Q');
    expect(() => parseSubmissions(ragged)).toThrow(/filings\.recent\.form: 2 values for 1 accession numbers/);
    const missing = payload([]);
    delete (missing.filings.recent as Partial<typeof missing.filings.recent>).primaryDocument;
    expect(() => parseSubmissions(missing)).toThrow(SourceFormatError);
    expect(() => parseSubmissions('nope')).toThrow(SourceFormatError);
  });

  it('reads the fiscal year end month the way period ends are read', () => {
    expect(fiscalYearEndMonthOf('0926')).toBe(9);
    expect(fiscalYearEndMonthOf('1231')).toBe(12);
    expect(fiscalYearEndMonthOf('0630')).toBe(6);
    // 52/53-week years that end early in a month belong to the month before.
    expect(fiscalYearEndMonthOf('0201')).toBe(1);
    expect(fiscalYearEndMonthOf('0103')).toBe(12);
    expect(fiscalYearEndMonthOf(null)).toBeUndefined();
    expect(fiscalYearEndMonthOf('1399')).toBeUndefined();
  });
});

function filing(accessionNumber: string, form: string, filingDate: string, reportDate = '2025-01-01'): SubmissionFiling {
  return { accessionNumber, form, filingDate, reportDate, primaryDocument: 'doc.htm' };
}

describe('selectReportFilings', () => {
  const filings = [
    filing('q-late', '10-Q', '2025-08-01'),
    filing('8k', '8-K', '2025-07-30'),
    filing('q1', '10-Q', '2025-05-01'),
    filing('ka', '10-K/A', '2025-04-01'),
    filing('k25', '10-K', '2025-02-10'),
    filing('q-old', '10-Q', '2024-11-01'),
    filing('k24', '10-K', '2024-02-12'),
  ];

  it('takes the latest 10-K filed by the as-of date and the 10-Qs filed after it, oldest first', () => {
    expect(selectReportFilings(filings, '2025-07-31').map((f) => f.accessionNumber)).toEqual(['k25', 'q1']);
    expect(selectReportFilings(filings, '2025-12-31').map((f) => f.accessionNumber)).toEqual(['k25', 'q1', 'q-late']);
    expect(selectReportFilings(filings, '2024-12-31').map((f) => f.accessionNumber)).toEqual(['k24', 'q-old']);
  });

  it('falls back to the last year of 10-Qs for a filer with no 10-K yet, and to nothing before its first filing', () => {
    const newcomer = [filing('q2', '10-Q', '2025-08-01'), filing('q1', '10-Q', '2025-05-01'), filing('q0', '10-Q', '2023-05-01')];
    expect(selectReportFilings(newcomer, '2025-09-01').map((f) => f.accessionNumber)).toEqual(['q1', 'q2']);
    expect(selectReportFilings(newcomer, '2023-01-01')).toEqual([]);
  });
});

describe('EdgarFilingsSource', () => {
  const company: CompanyProfile = {
    ticker: 'EXH',
    name: 'Example Holdings',
    cik: '0000000042',
    sector: 'Information Technology',
    industry: 'Hardware',
    exchange: 'NASDAQ',
    fiscalYearEndMonth: 12,
  };

  const submissions: Submissions = parseSubmissions(
    payload([
      ['0000000042-26-000001', '10-Q', '2026-01-30', '2025-12-27'],
      ['0000000042-25-000079', '10-K', '2025-10-31', '2025-09-27'],
      ['0000000042-25-000073', '10-Q', '2025-08-01', '2025-06-28'],
    ]),
  );

  it('labels fiscal periods with SEC’s fiscal year end rather than the profile’s', async () => {
    const source = new EdgarFilingsSource({
      companyFacts: async () => {
        throw new Error('not used');
      },
      submissions: async () => submissions,
      archiveText: async (path) => {
        throw new NotFoundError(`no documents in this test: ${path}`);
      },
    });
    const documents = await source.filings(company, '2026-02-15');
    expect(documents).toEqual([
      {
        docId: '0000000042-25-000079',
        ticker: 'EXH',
        form: '10-K',
        filed: '2025-10-31',
        periodEnd: '2025-09-27',
        fiscalYear: 2025,
        fiscalPeriod: 'FY',
        title: 'Example Holdings 10-K for fiscal 2025 (period ended 2025-09-27)',
        sections: [],
      },
      {
        docId: '0000000042-26-000001',
        ticker: 'EXH',
        form: '10-Q',
        filed: '2026-01-30',
        periodEnd: '2025-12-27',
        fiscalYear: 2026,
        fiscalPeriod: 'Q1',
        title: 'Example Holdings 10-Q for fiscal 2026 Q1 (period ended 2025-12-27)',
        sections: [],
      },
    ]);
  });

  it('passes on errors other than a missing company', async () => {
    const source = new EdgarFilingsSource({
      companyFacts: async () => {
        throw new SourceFormatError('bad');
      },
      submissions: async () => {
        throw new NotFoundError('unknown CIK');
      },
      archiveText: async () => {
        throw new Error('not used');
      },
    });
    await expect(source.companyFacts(company, '2025-01-01')).rejects.toThrow(SourceFormatError);
    await expect(source.filings(company, '2025-01-01')).rejects.toThrow(NotFoundError);
  });

  it('builds the www.sec.gov address of a primary document', () => {
    expect(filingDocumentUrl('0000320193', '0000320193-25-000079', 'aapl-20250927.htm')).toBe(
      'https://www.sec.gov/Archives/edgar/data/320193/000032019325000079/aapl-20250927.htm',
    );
  });
});
