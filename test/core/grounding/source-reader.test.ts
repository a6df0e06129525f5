/** The source reader: prose and tables in, period-bound figures out, with the table's scale and signs. */
import { describe, expect, it } from 'vitest';
import { readSources } from '../../../lambdas/core/grounding';
import type { SourceFigure } from '../../../lambdas/core/grounding';

const find = (figs: SourceFigure[], label: RegExp, year: number) => figs.filter((f) => label.test(f.label) && f.period?.year === year);

describe('readSources on tables', () => {
  it('applies a stated scale "(in thousands)" and binds each column to its year', () => {
    const { figures } = readSources([
      {
        id: 't',
        text: '',
        tables: [
          [
            ['(in thousands)', '2024', '2023'],
            ['Net sales', '$ 1,452.4', '$ 1,146.2'],
            ['Operating income', '(12.5)', '30.0'],
          ],
        ],
      },
    ]);
    expect(find(figures, /Net sales/, 2024)[0]!.value).toBeCloseTo(1_452_400);
    expect(find(figures, /Net sales/, 2023)[0]!.value).toBeCloseTo(1_146_200);
    expect(find(figures, /Operating income/, 2024)[0]!.value).toBeCloseTo(-12_500);
  });

  it('reads $\'000, €m and "in millions" as scales', () => {
    for (const [marker, scale] of [
      ["$'000", 1e3],
      ['€m', 1e6],
      ['in millions', 1e6],
      ['(in billions)', 1e9],
    ] as const) {
      const { figures } = readSources([
        {
          id: 't',
          text: '',
          tables: [
            [
              ['', `2019 ${marker}`, `2018 ${marker}`],
              ['Revenue', '10', '9'],
            ],
          ],
        },
      ]);
      expect(find(figures, /Revenue/, 2019)[0]!.value).toBeCloseTo(10 * scale);
    }
  });

  it('reads "Fiscal 2024" headers and quarter headers', () => {
    const { figures } = readSources([
      {
        id: 't',
        text: '',
        tables: [
          [
            ['', 'Fiscal 2024', 'Fiscal 2023', 'Q3 FY2024'],
            ['Revenue', '100', '90', '30'],
          ],
        ],
      },
    ]);
    expect(
      find(figures, /Revenue/, 2024)
        .map((f) => f.period?.quarter ?? 0)
        .sort(),
    ).toEqual([0, 3]);
  });

  it('keeps a table with no stated scale as written, marked so the claim scale can be assumed', () => {
    const { figures } = readSources([
      {
        id: 't',
        text: '',
        tables: [
          [
            ['', '2019', '2018'],
            ['Other', '44.1', '56.7'],
          ],
        ],
      },
    ]);
    const f = find(figures, /Other/, 2019)[0]!;
    expect(f.value).toBe(44.1);
    expect(f.scaleKnown).toBe(false);
  });

  it('reads group headers that span columns and section rows', () => {
    const { figures } = readSources([
      {
        id: 't',
        text: '',
        tables: [
          [
            ['', 'Domestic', '', 'International', ''],
            ['', '2019', '2018', '2019', '2018'],
            ['Discount rate', '4.00%', '3.75%', '1.90%', '2.80%'],
          ],
        ],
      },
    ]);
    const intl = figures.filter((f) => f.contextTokens.includes('international') && f.period?.year === 2019);
    expect(intl[0]!.value).toBe(1.9);
    expect(intl[0]!.unit).toBe('pct');
  });

  it('names an unlabeled row that sums the rows above it a total of what they share, and leaves other blank rows unnamed', () => {
    const { figures } = readSources([
      {
        id: 't',
        text: '',
        tables: [
          [
            ['', '2019', '2018'],
            ['Final dividend for the year ended 30 June 2018', '13,327', '12,534'],
            ['Interim dividend for the half year ended 31 December 2018', '14,801', '13,099'],
            ['', '28,128', '25,633'],
            ['', '1,000', '2,000'],
          ],
        ],
      },
    ]);
    expect(find(figures, /^Total dividend$/, 2019).map((f) => f.value)).toEqual([28_128]);
    expect(find(figures, /^Total dividend$/, 2018).map((f) => f.value)).toEqual([25_633]);
    expect(figures.filter((f) => f.value === 1_000)[0]!.label).not.toMatch(/Total/);
  });

  it('reads pipe tables inside text', () => {
    const { figures } = readSources([
      { id: 'p', text: 'Results:\n\n| Item (in millions) | FY2024 | FY2023 |\n|---|---|---|\n| Free cash flow | (12) | 30 |\n' },
    ]);
    expect(find(figures, /Free cash flow/, 2024)[0]!.value).toBe(-12e6);
  });
});

describe('readSources on prose', () => {
  it('binds listed figures to the period after each and to the label of the first, and "respectively" lists by position', () => {
    const { figures } = readSources([
      {
        id: 'p',
        text:
          'Depreciation expense totaled $290.2 million in 2019, $239.6 million in 2018 and $190.4 million in 2017. ' +
          'The portion associated with services was 87%, 85% and 84% in 2019, 2018 and 2017, respectively.',
      },
    ]);
    const byValue = (v: number) => figures.find((f) => f.value === v)!;
    expect([290.2e6, 239.6e6, 190.4e6].map((v) => byValue(v).period?.year)).toEqual([2019, 2018, 2017]);
    expect(byValue(190.4e6).labelTokens).toEqual(byValue(290.2e6).labelTokens);
    expect(byValue(190.4e6).labelTokens).toContain('depreciation');
    expect([87, 85, 84].map((v) => byValue(v).period?.year)).toEqual([2019, 2018, 2017]);
  });
  it('binds each figure to its line item and nearest period, and carries a period to the next sentence', () => {
    const { figures } = readSources([
      {
        id: 'n',
        text: 'In fiscal 2024 net sales were $1.2 billion, up 12% from $1.07 billion in fiscal 2023. Operating income was $210 million.',
      },
    ]);
    const byValue = (v: number) => figures.find((f) => Math.abs(f.value - v) < 1)!;
    expect(byValue(1.2e9).period?.year).toBe(2024);
    expect(byValue(1.07e9).period?.year).toBe(2023);
    expect(byValue(12).period?.year).toBe(2024);
    expect(byValue(210e6).metric).toBe('operating_income');
    expect(byValue(210e6).period?.year).toBe(2024);
  });

  it('reads FactSnapshot facts and the losing sides of conflicts', () => {
    const fact = {
      id: 'eps_diluted|2025-FY|f1',
      metric: 'eps_diluted' as const,
      value: 1.23,
      unit: 'USD/share' as const,
      reportedScale: 1,
      period: { fiscalYear: 2025, fiscalPeriod: 'FY' as const, end: '2025-12-31' },
      source: 'filings' as const,
      docId: 'f1',
      filed: '2026-02-01',
    };
    const index = readSources(
      [],
      [fact],
      [
        {
          metric: 'eps_diluted',
          periodKey: '2025-FY',
          kind: 'cross_source',
          candidates: [
            { factId: fact.id, value: 1.23, source: 'filings', docId: 'f1', filed: '2026-02-01' },
            { factId: 'v', value: 1.25, source: 'fundamentals', docId: 'v1', filed: '2026-02-02' },
          ],
        },
      ],
    );
    expect(index.figures).toHaveLength(2);
    expect(index.figures[1]!.conflictLoser).toEqual({ winnerValue: 1.23, winnerSourceId: 'f1' });
  });
});
