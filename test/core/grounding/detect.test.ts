/**
 * The detector, sentence by sentence: correct forms real models write are supported, and every
 * kind of error the issue lists is flagged with a reason that says what the sources hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detect, detectWithJudge, verifyDraftGrounding } from '../../../lambdas/core/grounding';
import type { DetectResult, SourceInput } from '../../../lambdas/core/grounding';
import type { GroundingJudge } from '../../../lambdas/core/ports/judge';
import type { Fact, FactSnapshot, SummaryDraft } from '../../../lambdas/core/model';

const FILING: SourceInput = {
  id: 'f1',
  title: 'Acme Corp 10-K fiscal 2024',
  text: [
    'In fiscal 2024 net sales were $1.23 billion, up 12% from $1.098 billion in fiscal 2023. Operating income was $210 million. Diluted EPS was $1.52.',
    'Acme Corp (ACME) opened a new plant in Ohio in 2024.',
    '',
    '| Item (in millions) | FY2024 | FY2023 |',
    '|---|---|---|',
    '| Gross profit | 480 | 400 |',
    '| Free cash flow | (12) | 30 |',
    '| Net income | 42.3 | 21.1 |',
  ].join('\n'),
};
const NOTE: SourceInput = {
  id: 'n1',
  title: 'Morgan Stanley note',
  text: 'Morgan Stanley rates Acme Corp Overweight with a price target of $250. Analysts expect EPS of $1.75 in fiscal 2025.',
};
const SOURCES = [FILING, NOTE];
const AS_OF = '2025-03-01';

const run = (text: string, extra: Partial<Parameters<typeof detect>[0]> = {}) => detect({ text, sources: SOURCES, asOf: AS_OF, ...extra });
const statuses = (r: DetectResult) => r.claims.map((c) => c.status);

function expectSupported(text: string) {
  const r = run(text);
  expect(r.claims.length, text).toBeGreaterThan(0);
  expect(statuses(r), `${text}: ${r.claims.map((c) => c.reason).join(' | ')}`).toEqual(r.claims.map(() => 'supported'));
  expect(r.hallucinated).toBe(false);
  expect(r.decision).toBe('publish');
}

function expectFlagged(text: string, kind?: string, extra: Partial<Parameters<typeof detect>[0]> = {}) {
  const r = run(text, extra);
  expect(r.hallucinated, `${text}: ${r.claims.map((c) => `${c.status}/${c.kind} ${c.reason}`).join(' | ')}`).toBe(true);
  if (kind) expect(r.claims.map((c) => c.kind)).toContain(kind);
  expect(['regenerate', 'facts_only']).toContain(r.decision);
  return r;
}

describe('correct forms are supported', () => {
  it.each([
    'In fiscal 2024, net sales were $1.23B.',
    'Net sales reached $1.2bn in FY2024.',
    'Net income was $42.3M in fiscal 2024.',
    'Diluted EPS was 152 cents in fiscal 2024.',
    'Net sales grew 12% in fiscal 2024.',
    'Net sales grew twelve percent in fiscal 2024.',
    'Net income doubled in fiscal 2024.',
    'Gross profit rose by $80 million in FY2024.',
    'Gross profit was up 20% in FY2024 from FY2023.',
    'Gross margin was 39% in fiscal 2024.',
    'Free cash flow was negative $12 million in fiscal 2024.',
    'Morgan Stanley rates Acme Corp Overweight.',
    'Morgan Stanley has a $250 price target on Acme Corp.',
    'Analysts expect EPS of $1.75 in fiscal 2025.',
    'Acme Corp opened a new plant in Ohio.',
    'According to the 10-K, Acme Corp opened a new plant in Ohio.',
    'The annual report highlights that Acme opened a plant in Ohio.',
    'In 2024, operating income was $210 million.',
  ])('%s', (text) => expectSupported(text));
});

describe('errors are flagged', () => {
  it('a wrong value of the same line item and period, with expected and found', () => {
    const r = expectFlagged('Net sales were $1.3 billion in fiscal 2024.', 'wrong_value');
    expect(r.claims[0]!.reason).toMatch(/expected \$1\.23 billion.*found \$1\.3 billion/);
  });
  it('a wrong line item: 210 is operating income, not revenue', () =>
    expectFlagged('Revenue was $210 million in fiscal 2024.', 'wrong_line_item'));
  it('the wrong scale', () => expectFlagged('Net sales were $1.23 million in fiscal 2024.', 'wrong_scale'));
  it('another period', () => expectFlagged('Net sales were $1.23 billion in fiscal 2023.', 'wrong_period'));
  it('a full-year figure called a quarter', () => expectFlagged('Net sales were $1.23 billion in Q3 FY2024.', 'quarter_full_year'));
  it('a consensus estimate stated as reported', () =>
    expectFlagged('Diluted EPS was $1.75 in fiscal 2025.', undefined, { asOf: '2026-03-01' }));
  it('a future period stated as reported', () => expectFlagged('In fiscal 2026, net sales were $2 billion.', 'future_period'));
  it('a dated event after the as-of date', () => expectFlagged('Acme Corp opened its Ohio plant on June 3, 2025.', 'future_date'));
  it('a stale figure stated as current', () => expectFlagged('Gross profit is currently $400 million.', 'stale_figure'));
  it('a loss called a profit (sign dropped)', () => expectFlagged('Free cash flow was $12 million in fiscal 2024.', 'wrong_sign'));
  it('down for up', () => expectFlagged('Gross profit fell 20% in fiscal 2024.', 'wrong_sign'));
  it('a direction stated without a figure, flipped', () => expectFlagged('Gross profit decreased in fiscal 2024.', 'wrong_sign'));
  it('a percent that is really percentage points never matches', () =>
    expectFlagged('Net sales grew 12 percentage points in fiscal 2024.'));
  it('no period named where the source has several', () => {
    const r = run('Gross profit was $480 million.');
    expect(r.claims[0]!.kind).toBe('missing_period');
    expect(r.claims[0]!.status).toBe('unsupported');
  });
  it('a flipped rating', () => expectFlagged('Morgan Stanley rates Acme Corp Underweight.', 'wrong_rating'));
  it('a rating from a firm the sources do not name', () => expectFlagged('Goldman Sachs rates Acme Corp Overweight.', 'wrong_firm'));
  it('a price target pinned on the wrong firm', () => expectFlagged('Goldman Sachs has a $250 price target on Acme Corp.', 'wrong_firm'));
  it('a ticker in no source', () => expectFlagged('Acme Corp (ACMX) opened a new plant in Ohio.', 'unknown_entity'));
  it('a statement with no figure whose words are nowhere in the sources', () => {
    const r = expectFlagged('The board approved a sweeping restructuring of overseas distribution partnerships.', 'unsupported_text');
    expect(r.claims[0]!.reason).toMatch(/anywhere in the sources/);
  });
  it('but not a sentence that only frames the text', () => expectSupported('Here is how Acme Corp did in fiscal 2024.'));
  it('a "difference" that is really the average of other figures is not computed as one', () => {
    const r = detect({
      text: 'The difference in the Weighted-Average Useful Lives between Purchased technology and Other intangible assets was 3.',
      sources: [
        {
          id: 't',
          text: '',
          tables: [
            [
              ['', 'Weighted-Average Useful Lives (in years)'],
              ['Purchased technology', '4.2'],
              ['Other intangible assets', '1.8'],
            ],
          ],
        },
      ],
    });
    expect(r.claims[0]!.status).not.toBe('supported');
  });
  it('a company in no source', () =>
    expectFlagged('Net sales were $1.23 billion in fiscal 2024, according to Globex Holdings.', 'unknown_entity'));
  it('a figure on the losing side of a source conflict', () => {
    const fact: Fact = {
      id: 'eps_diluted|2024-FY|f1',
      metric: 'eps_diluted',
      value: 1.52,
      unit: 'USD/share',
      reportedScale: 1,
      period: { fiscalYear: 2024, fiscalPeriod: 'FY', end: '2024-12-31' },
      source: 'filings',
      docId: 'f1',
      filed: '2025-02-01',
    };
    const r = detect({
      text: 'Diluted EPS was $1.49 in fiscal 2024.',
      sources: [],
      facts: [fact],
      conflicts: [
        {
          metric: 'eps_diluted',
          periodKey: '2024-FY',
          kind: 'cross_source',
          candidates: [
            { factId: fact.id, value: 1.52, source: 'filings', docId: 'f1', filed: '2025-02-01' },
            { factId: 'x', value: 1.49, source: 'fundamentals', docId: 'v1', filed: '2025-02-02' },
          ],
        },
      ],
    });
    expect(r.claims[0]!.kind).toBe('conflict_loser');
    expect(r.hallucinated).toBe(true);
  });
  it('an invented event is unsupported; a negated one contradicted', () => {
    expect(run('Acme Corp closed its Texas plant after a fire.').claims[0]!.status).toBe('unsupported');
    expect(run('Acme Corp did not open a new plant in Ohio.').claims[0]!.status).toBe('contradicted');
  });
  it('a citation naming no source', () => expectFlagged('Net sales were $1.23 billion in fiscal 2024 [doc-9].', 'unknown_citation'));
});

describe('uncertainty', () => {
  it('boosters raise the risk of a weakly supported claim; hedges lower it', () => {
    const plain = run('Acme Corp closed its Texas plant.').claims[0]!.risk;
    const boosted = run('Acme Corp certainly closed its Texas plant.').claims[0]!.risk;
    const hedged = run('Acme Corp may have closed its Texas plant.').claims[0]!.risk;
    expect(boosted).toBeGreaterThan(plain);
    expect(hedged).toBeLessThan(plain);
  });
  it('scores a text in [0, 1] and decides publish, hedge, regenerate or facts-only', () => {
    expect(run('Net sales were $1.23 billion in fiscal 2024.').decision).toBe('publish');
    expect(run('Acme Corp closed its Texas plant.').decision).toBe('hedge');
    expect(run('Net sales were $1.3 billion in fiscal 2024.').decision).toBe('regenerate');
    const bad = run(
      'Net sales were $1.3 billion in fiscal 2024. Gross profit was $300 million in FY2024. Net income was $99 million in fiscal 2024.',
    );
    expect(bad.decision).toBe('facts_only');
    expect(bad.score).toBeGreaterThan(0.5);
    expect(bad.score).toBeLessThanOrEqual(1);
  });
});

describe('properties', () => {
  const table = (value: number, year: number): SourceInput => ({
    id: 't',
    text: '',
    tables: [
      [
        ['(in millions)', String(year), String(year - 1)],
        ['Net sales', value.toFixed(1), (value * 0.9).toFixed(1)],
      ],
    ],
  });

  it('a correctly stated table figure is always supported, in any common form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 99_999 }),
        fc.integer({ min: 2005, max: 2024 }),
        fc.constantFrom('million', 'M'),
        (tenths, year, form) => {
          const value = tenths / 10;
          const text = `Net sales were $${value.toFixed(1)}${form === 'M' ? 'M' : ' million'} in fiscal ${year}.`;
          const r = detect({ text, sources: [table(value, year)] });
          expect(statuses(r)).toEqual(['supported']);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a value off by 7 % or more, or ten times, is always flagged', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 99_999 }),
        fc.integer({ min: 2005, max: 2024 }),
        fc.constantFrom(1.07, 0.93, 10, 0.1),
        (tenths, year, factor) => {
          const value = tenths / 10;
          const text = `Net sales were $${(value * factor).toFixed(2)} million in fiscal ${year}.`;
          const r = detect({ text, sources: [table(value, year)] });
          expect(r.hallucinated).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the LLM judge port', () => {
  const fake = (verdict: 'supported' | 'contradicted', evidence: string): GroundingJudge => ({
    judge: async () => ({ verdict, evidence, sourceId: 'n1' }),
  });

  it('settles an unsupported claim when its quote is verbatim in the source', async () => {
    const r = await detectWithJudge(
      { text: 'The note is upbeat on Acme Corp.', sources: SOURCES },
      { judge: fake('supported', 'rates Acme Corp Overweight') },
    );
    expect(r.claims[0]!.status).toBe('supported');
  });

  it('ignores a verdict whose quote is not in the sources', async () => {
    const r = await detectWithJudge(
      { text: 'The note is upbeat on Acme Corp.', sources: SOURCES },
      { judge: fake('supported', 'rates Acme Corp a strong buy') },
    );
    expect(r.claims[0]!.status).toBe('unsupported');
    expect(r.claims[0]!.reason).toMatch(/not in the sources/);
  });
});

describe('verifyDraftGrounding', () => {
  const fact = (metric: Fact['metric'], value: number, unit: Fact['unit'], year: number): Fact => ({
    id: `${metric}|${year}-FY|acc1`,
    metric,
    value,
    unit,
    reportedScale: 1,
    period: { fiscalYear: year, fiscalPeriod: 'FY', end: `${year}-12-31` },
    source: 'filings',
    docId: 'acc1',
    filed: `${year + 1}-02-01`,
  });
  const snapshot: FactSnapshot = {
    ticker: 'ACME',
    asOf: AS_OF,
    companyName: 'Acme Corp',
    sector: 'Industrials' as FactSnapshot['sector'],
    facts: [fact('revenue', 1.23e9, 'USD', 2024), fact('revenue', 1.098e9, 'USD', 2023), fact('operating_income', 210e6, 'USD', 2024)],
    conflicts: [],
    documents: [{ docId: 'acc1', kind: 'filings', title: '10-K', date: '2025-02-01' }],
    missingSources: [],
    staleSources: [],
    sourceHash: 'h',
  };
  const draft = (text: string, citations = ['acc1']): SummaryDraft => ({
    hook: { sections: [{ section: 'overview', sentences: [{ text, citations }] }] },
    medium: { sections: [] },
    expanded: { sections: [] },
  });

  it('passes a draft whose figures match the snapshot, in the VerificationResult shape', () => {
    const r = verifyDraftGrounding(draft('Revenue was $1.23 billion in fiscal 2024, up 12.0%.'), snapshot);
    expect(r.passed).toBe(true);
    expect(r.claimsChecked).toBe(2);
    expect(r.risk.decision).toBe('publish');
  });

  it('fails a wrong line item and a missing citation with legacy finding kinds', () => {
    const r = verifyDraftGrounding(draft('Revenue was $210 million in fiscal 2024.', []), snapshot);
    expect(r.passed).toBe(false);
    expect(r.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['missing_citation', 'unsupported_number']));
    expect(r.findings.some((f) => f.grounding === 'wrong_line_item')).toBe(true);
  });

  it('flags a citation that names no snapshot document', () => {
    const r = verifyDraftGrounding(draft('Revenue was $1.23 billion in fiscal 2024.', ['nope']), snapshot);
    expect(r.findings.map((f) => f.kind)).toContain('unknown_citation');
  });
});
