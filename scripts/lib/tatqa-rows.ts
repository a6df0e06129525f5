/**
 * Detect rows from TAT-QA (real annual-report tables and paragraphs): every numeric gold answer
 * stated as a claim sentence against its table and paragraphs (label false), and perturbed copies
 * (label true) — ×10 scale, ±7 % value, another year of the same table, another line item of the
 * same table, flipped sign. Shared by `scripts/make-tatqa-detect-rows.ts` and the shared-data test,
 * so the rows the test measures are the rows `npm run detect` reads.
 */
import type { SourceInput } from '../../lambdas/core/grounding';

export interface TatqaQuestion {
  uid: string;
  question: string;
  answer: unknown;
  derivation: string;
  answer_type: string;
  answer_from: string;
  scale: string;
}

export interface TatqaItem {
  table: { uid: string; table: string[][] };
  paragraphs: Array<{ uid: string; order: number; text: string }>;
  questions: TatqaQuestion[];
}

export type Perturbation = 'scale10' | 'value7' | 'other_year' | 'wrong_line_item' | 'flip_sign';
export const PERTURBATIONS: Perturbation[] = ['scale10', 'value7', 'other_year', 'wrong_line_item', 'flip_sign'];

export interface DetectRow {
  id: string;
  text: string;
  sources: SourceInput[];
  label: boolean;
  /** `gold` or the perturbation applied. */
  variant: 'gold' | Perturbation;
  answerType: string;
  /** TAT-QA's own derivation of the gold answer (for reports, never read by the detector). */
  derivation: string;
}

function numericAnswer(q: TatqaQuestion): { value: number; decimals: number } | undefined {
  if (q.answer_type === 'arithmetic' && typeof q.answer === 'number') {
    const s = String(q.answer);
    return { value: q.answer, decimals: s.includes('.') ? s.length - s.indexOf('.') - 1 : 0 };
  }
  if (q.answer_type === 'span' && Array.isArray(q.answer) && q.answer.length === 1) {
    const raw = String(q.answer[0]).trim();
    const m = /^\(?-?\$?\s?\(?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\)?\s?%?$/.exec(raw);
    if (!m) return undefined;
    const negative = /^-|^\(|\$\s?\(/.test(raw);
    const num = m[1]!.replace(/,/g, '');
    const value = Number(num) * (negative ? -1 : 1);
    // A bare year answer ("2019") is a period, not a figure.
    if (/^(?:19|20)\d{2}$/.test(num) && !raw.includes('%')) return undefined;
    return { value, decimals: num.includes('.') ? num.length - num.indexOf('.') - 1 : 0 };
  }
  return undefined;
}

function formatNumber(value: number, decimals: number): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, frac] = fixed.split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** How the answer is written: `12.5%`, `2.1 percentage points`, `12.6 million`, `172`. */
function unitSuffix(q: TatqaQuestion): string {
  switch (q.scale) {
    case 'percent': {
      const d = q.derivation.replace(/\s+/g, '');
      // A difference of two percentages is a change in percentage points, never a percent.
      return d !== '' && !d.includes('/') && /\d-|\)-/.test(d) && !d.includes('+') ? ' percentage points' : '%';
    }
    case 'thousand':
      return ' thousand';
    case 'million':
      return ' million';
    case 'billion':
      return ' billion';
    default:
      return '';
  }
}

/** The question turned into a statement with the answer in it. */
export function claimSentence(question: string, answer: string): string {
  let q = question.trim().replace(/\s+/g, ' ').replace(/\?+$/, '');
  // "In 2019, what is X?" → "In 2019, the X was …".
  const lead = /^((?:in|for|as of|as at|during|at|between)\b[^,]{1,60}),\s*(.*)$/i.exec(q);
  if (lead && /^(?:what|how)/i.test(lead[2]!)) {
    const rest = claimSentence(lead[2]!, answer);
    return `${lead[1]!.charAt(0).toUpperCase()}${lead[1]!.slice(1)}, ${rest.charAt(0).toLowerCase()}${rest.slice(1)}`;
  }
  const m = /^(?:what|how much|how many)\s+(?:is|was|were|are|will be|would be)\s+(?:the\s+)?(.*)$/i.exec(q);
  if (m) q = m[1]!;
  else q = q.replace(/^(?:what|how much|how many|which)\s+/i, '');
  q = q.charAt(0).toUpperCase() + q.slice(1);
  return `The ${q.charAt(0).toLowerCase()}${q.slice(1)} was ${answer}.`.replace(/^The the /i, 'The ');
}

const YEAR_RE = /\b(?:19|20)\d{2}\b/g;

function tableYears(table: string[][]): string[] {
  const years = new Set<string>();
  for (const row of table.slice(0, 4)) for (const cell of row) for (const m of String(cell).matchAll(YEAR_RE)) years.add(m[0]);
  return [...years];
}

function rowLabels(table: string[][]): string[] {
  return table
    .filter((r) => r.slice(1).some((c) => /\d/.test(String(c)) && !/^\s*(?:19|20)\d{2}\s*$/.test(String(c))))
    .map((r) =>
      String(r[0] ?? '')
        .replace(/:$/, '')
        .trim(),
    )
    .filter((l) => l.length >= 3);
}

function perturbedValue(value: number, decimals: number, factor: number): { value: number; decimals: number } {
  let d = decimals;
  const target = value * factor;
  while (d < 4 && formatNumber(target, d) === formatNumber(value, d)) d += 1;
  return { value: Number(target.toFixed(d)), decimals: d };
}

/** All rows for one TAT-QA item. `i` makes the ±7 % direction alternate deterministically. */
export function rowsForItem(item: TatqaItem, i: number): DetectRow[] {
  const source: SourceInput = {
    id: item.table.uid,
    text: [...item.paragraphs]
      .sort((a, b) => a.order - b.order)
      .map((p) => p.text)
      .join('\n\n'),
    tables: [item.table.table],
  };
  const sources = [source];
  const rows: DetectRow[] = [];
  const years = tableYears(item.table.table);
  const labels = rowLabels(item.table.table);
  item.questions.forEach((q, qi) => {
    if (q.answer_type !== 'span' && q.answer_type !== 'arithmetic') return;
    const ans = numericAnswer(q);
    if (!ans) return;
    const suffix = unitSuffix(q);
    const say = (v: number, d: number) => claimSentence(q.question, `${formatNumber(v, d)}${suffix}`);
    const base = { sources, answerType: q.answer_type, derivation: q.derivation };
    const gold = say(ans.value, ans.decimals);
    rows.push({ id: `${q.uid}:gold`, text: gold, label: false, variant: 'gold', ...base });
    const x10 = perturbedValue(ans.value, ans.decimals, 10);
    rows.push({ id: `${q.uid}:scale10`, text: say(x10.value, x10.decimals), label: true, variant: 'scale10', ...base });
    const p7 = perturbedValue(ans.value, ans.decimals, (i + qi) % 2 === 0 ? 1.07 : 0.93);
    if (ans.value !== 0) rows.push({ id: `${q.uid}:value7`, text: say(p7.value, p7.decimals), label: true, variant: 'value7', ...base });
    const named = [...gold.matchAll(YEAR_RE)].map((m) => m[0]);
    const replacement = years.find((y) => !named.includes(y));
    if (named.length > 0 && replacement) {
      rows.push({
        id: `${q.uid}:other_year`,
        text: gold.replace(new RegExp(`\\b${named[0]}\\b`), replacement),
        label: true,
        variant: 'other_year',
        ...base,
      });
    }
    const lower = gold.toLowerCase();
    const present = labels.filter((l) => lower.includes(l.toLowerCase())).sort((a, b) => b.length - a.length)[0];
    if (present) {
      // Another line item that the sentence does not already name (else "Bell Wireless for Bell Wireless").
      const other = labels.find((l) => {
        const o = l.toLowerCase();
        return (
          o !== present.toLowerCase() && !o.includes(present.toLowerCase()) && !present.toLowerCase().includes(o) && !lower.includes(o)
        );
      });
      if (other) {
        const text = gold.replace(new RegExp(present.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), other);
        rows.push({ id: `${q.uid}:wrong_line_item`, text, label: true, variant: 'wrong_line_item', ...base });
      }
    }
    if (ans.value !== 0)
      rows.push({ id: `${q.uid}:flip_sign`, text: say(-ans.value, ans.decimals), label: true, variant: 'flip_sign', ...base });
  });
  return rows;
}

export function tatqaRows(items: TatqaItem[]): DetectRow[] {
  return items.flatMap((item, i) => rowsForItem(item, i));
}
