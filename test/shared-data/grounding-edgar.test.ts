/**
 * The detector on real EDGAR company facts (Apple, JPMorgan, Walmart, Snowflake, Tesla): each fact
 * stated the way the writer states figures is supported against the facts, and perturbed copies
 * (×10, ±7 %, another fiscal year, another line item, flipped sign) are flagged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractMetrics, parseCompanyFacts } from '../../lambdas/adapters/sources/edgar/companyfacts';
import { detect } from '../../lambdas/core/grounding';
import type { Fact } from '../../lambdas/core/model';
import { edgarRows, edgarTableRows, edgarTableSource } from '../../scripts/lib/edgar-rows';
import type { EdgarRow } from '../../scripts/lib/edgar-rows';

const DIR = fileURLToPath(new URL('../../../shared/data/edgar/companyfacts/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.startsWith('lpa'));

function factsOf(file: string): Fact[] {
  const parsed = parseCompanyFacts(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
  const values = extractMetrics(parsed.facts, { asOf: '2100-01-01' });
  const years = [...new Set(values.filter((v) => v.period.fiscalPeriod === 'FY').map((v) => v.period.fiscalYear))]
    .sort((a, b) => b - a)
    .slice(0, 3);
  return values
    .filter((v) => years.includes(v.period.fiscalYear) && v.period.fiscalPeriod !== 'spot')
    .map((v) => ({
      id: `${v.metric}|${v.period.fiscalYear}-${v.period.fiscalPeriod}|${v.accn}`,
      metric: v.metric,
      value: v.value,
      unit: v.unit,
      reportedScale: 1,
      period: v.period,
      source: 'filings',
      docId: v.accn,
      filed: v.filed,
      form: v.form,
    }));
}

const rows: EdgarRow[] = files.flatMap((f) => edgarRows(f.split('_')[0]!, factsOf(f)));
const results = rows.map((row) => ({ row, result: detect({ text: row.text, sources: [], facts: row.facts }) }));

describe('EDGAR company facts stated as claims', () => {
  it('are supported', () => {
    const gold = results.filter((r) => r.row.variant === 'gold');
    const ok = gold.filter((r) => r.result.claims.length > 0 && r.result.claims.every((c) => c.status === 'supported'));
    const misses = gold
      .filter((r) => !ok.includes(r))
      .slice(0, 5)
      .map((r) => `${r.row.text} → ${r.result.claims.map((c) => c.reason).join(' | ')}`);
    console.log(
      `EDGAR gold supported: ${((ok.length / gold.length) * 100).toFixed(1)}% of ${gold.length} (${files.length} companies)${misses.length ? `; e.g. ${misses.join(' ;; ')}` : ''}`,
    );
    expect(gold.length).toBeGreaterThan(100);
    expect(ok.length / gold.length).toBeGreaterThanOrEqual(0.97);
  });

  it.each(['scale10', 'value7', 'other_year', 'wrong_line_item', 'flip_sign'])('%s copies are flagged', (variant) => {
    const of = results.filter((r) => r.row.variant === variant);
    const flagged = of.filter((r) => r.result.hallucinated);
    const misses = of
      .filter((r) => !r.result.hallucinated)
      .slice(0, 3)
      .map((r) => `${r.row.text} → ${r.result.claims.map((c) => c.reason).join(' | ')}`);
    console.log(
      `EDGAR ${variant} flagged: ${((flagged.length / of.length) * 100).toFixed(1)}% of ${of.length}${misses.length ? `; e.g. ${misses.join(' ;; ')}` : ''}`,
    );
    expect(of.length).toBeGreaterThan(20);
    expect(flagged.length / of.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('EDGAR company facts printed as a filing table and stated as claims', () => {
  const tableCases = files.flatMap((f) => {
    const company = f.split('_')[0]!;
    const facts = factsOf(f);
    const source = edgarTableSource(company, facts);
    return edgarTableRows(company, facts).map((row) => ({ row, result: detect({ text: row.text, sources: [source] }) }));
  });

  it.each(['gold', 'scale10', 'value7', 'other_year', 'wrong_line_item', 'flip_sign'])('%s rows', (variant) => {
    const of = tableCases.filter((r) => r.row.variant === variant);
    const ok = of.filter((r) =>
      variant === 'gold' ? r.result.claims.length > 0 && r.result.claims.every((c) => c.status === 'supported') : r.result.hallucinated,
    );
    const misses = of
      .filter((r) => !ok.includes(r))
      .slice(0, 3)
      .map((r) => `${r.row.text} → ${r.result.claims.map((c) => c.reason).join(' | ')}`);
    console.log(
      `EDGAR table ${variant} ${variant === 'gold' ? 'supported' : 'flagged'}: ${((ok.length / of.length) * 100).toFixed(1)}% of ${of.length}${misses.length ? `; e.g. ${misses.join(' ;; ')}` : ''}`,
    );
    expect(of.length).toBeGreaterThan(20);
    expect(ok.length / of.length).toBeGreaterThanOrEqual(0.95);
  });
});
