/**
 * Detect rows from real EDGAR company facts: each fact stated as a brief would state it (the
 * writer's own formatting, docs/DESIGN.md §5) against the facts as a FactSnapshot would carry them
 * (label false), and perturbed copies (label true): ×10, ±7 %, another fiscal year, another line
 * item of the same period, flipped sign.
 */
import { formatFactValue, formatPeriod, METRIC_LABELS } from '../../lambdas/core/facts/format';
import type { Fact } from '../../lambdas/core/model';

export type EdgarVariant = 'gold' | 'scale10' | 'value7' | 'other_year' | 'wrong_line_item' | 'flip_sign';

export interface EdgarRow {
  id: string;
  text: string;
  facts: Fact[];
  label: boolean;
  variant: EdgarVariant;
}

const STATED = new Set([
  'revenue',
  'net_income',
  'operating_income',
  'gross_profit',
  'eps_diluted',
  'eps_basic',
  'total_assets',
  'total_liabilities',
  'stockholders_equity',
  'cash',
  'operating_cash_flow',
  'net_interest_income',
  'dividends_per_share',
]);

function sentence(fact: Fact, value: number, metric = fact.metric, period = fact.period): string {
  const label = METRIC_LABELS[metric] ?? metric;
  const shown = formatFactValue(value, fact.unit);
  const signed = value < 0 ? `-${shown}` : shown;
  const subject = label.charAt(0).toUpperCase() + label.slice(1);
  return `${subject} was ${signed} in ${formatPeriod(period)}.`;
}

/** Rows for one company's facts (already the preferred value per metric and period). */
export function edgarRows(company: string, facts: Fact[]): EdgarRow[] {
  const rows: EdgarRow[] = [];
  const stated = facts.filter((f) => STATED.has(f.metric) && f.period.fiscalPeriod !== 'spot' && f.value !== 0);
  stated.forEach((f, i) => {
    const id = `${company}:${f.id}`;
    const gold = sentence(f, f.value);
    rows.push({ id: `${id}:gold`, text: gold, facts, label: false, variant: 'gold' });
    rows.push({ id: `${id}:scale10`, text: sentence(f, f.value * 10), facts, label: true, variant: 'scale10' });
    // A ±7 % change that the writer's rounding hides ($0.02 → $0.0214 → "$0.02") is no perturbation at all.
    const p7 = sentence(f, f.value * (i % 2 === 0 ? 1.07 : 0.93));
    if (p7 !== gold) rows.push({ id: `${id}:value7`, text: p7, facts, label: true, variant: 'value7' });
    rows.push({ id: `${id}:flip_sign`, text: sentence(f, -f.value), facts, label: true, variant: 'flip_sign' });
    const otherYear = stated.find(
      (g) =>
        g.metric === f.metric &&
        g.period.fiscalPeriod === f.period.fiscalPeriod &&
        g.period.fiscalYear !== f.period.fiscalYear &&
        Math.abs(g.value - f.value) > Math.abs(f.value) * 0.01,
    );
    if (otherYear)
      rows.push({
        id: `${id}:other_year`,
        text: sentence(f, f.value, f.metric, otherYear.period),
        facts,
        label: true,
        variant: 'other_year',
      });
    const otherItem = stated.find(
      (g) =>
        g.metric !== f.metric &&
        g.unit === f.unit &&
        g.period.fiscalYear === f.period.fiscalYear &&
        g.period.fiscalPeriod === f.period.fiscalPeriod &&
        !facts.some(
          (h) =>
            h.metric === g.metric &&
            h.period.fiscalYear === f.period.fiscalYear &&
            h.period.fiscalPeriod === f.period.fiscalPeriod &&
            Math.abs(h.value - f.value) <= Math.abs(f.value) * 0.01,
        ),
    );
    if (otherItem)
      rows.push({
        id: `${id}:wrong_line_item`,
        text: sentence(f, f.value, otherItem.metric),
        facts,
        label: true,
        variant: 'wrong_line_item',
      });
  });
  return rows;
}

/**
 * The same facts as a filing would print them: one pipe table of fiscal years, "(in millions, except
 * per share data)", parenthesised negatives. Rows checked against it exercise the source reader.
 */
export function edgarTableSource(company: string, facts: Fact[]): { id: string; text: string } {
  const fy = facts.filter((f) => STATED.has(f.metric) && f.period.fiscalPeriod === 'FY');
  const years = [...new Set(fy.map((f) => f.period.fiscalYear))].sort((a, b) => b - a);
  const metrics = [...new Set(fy.map((f) => f.metric))];
  const cell = (f: Fact | undefined) => {
    if (!f) return '—';
    const v = f.unit === 'USD/share' ? f.value.toFixed(2) : (f.value / 1e6).toFixed(1);
    return f.value < 0 ? `(${v.replace('-', '')})` : v;
  };
  const rows = metrics.map((m) => {
    const label = METRIC_LABELS[m] ?? m;
    return `| ${label.charAt(0).toUpperCase()}${label.slice(1)} | ${years.map((y) => cell(fy.find((f) => f.metric === m && f.period.fiscalYear === y))).join(' | ')} |`;
  });
  const text = [
    `${company} consolidated results.`,
    '',
    `| (in millions, except per share data) | ${years.map((y) => `Fiscal ${y}`).join(' | ')} |`,
    `|---|${years.map(() => '---').join('|')}|`,
    ...rows,
  ].join('\n');
  return { id: `${company}-10k-table`, text };
}

/** Gold and perturbed rows for the fiscal-year facts, stated to the table's own precision. */
export function edgarTableRows(company: string, facts: Fact[]): EdgarRow[] {
  const fy = facts.filter((f) => STATED.has(f.metric) && f.period.fiscalPeriod === 'FY' && f.value !== 0);
  const rounded = fy.map((f) => ({ ...f, value: f.unit === 'USD/share' ? Number(f.value.toFixed(2)) : Math.round(f.value / 1e5) * 1e5 }));
  return edgarRows(company, rounded);
}
