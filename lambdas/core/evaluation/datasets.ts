/**
 * The evaluation datasets' row shapes (evals/datasets/*.jsonl) and their versioning: each dataset is
 * identified by the sha256 of its canonical JSON, which every report carries. Pure.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SUMMARY_LENGTHS, SUMMARY_SECTIONS } from '../model/summary';

const Iso = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const Ticker = z.string().regex(/^[A-Z][A-Z0-9.]{0,9}$/, 'must be an upper-case ticker');

/** A figure the brief or answer must state: the metric's value (base units) in its period. */
export const KeyFactSchema = z.strictObject({
  metric: z.string().min(1),
  /** `FY2025`, `Q3 FY2026`, or `spot` for point-in-time values. */
  period: z.string().min(1),
  value: z.number(),
  /** How the sources show it (for reading the reports). */
  display: z.string().min(1),
});
export type KeyFact = z.infer<typeof KeyFactSchema>;

const SentenceSchema = z.strictObject({ text: z.string().min(1), citations: z.array(z.string()) });
const BodySchema = z.strictObject({
  sections: z.array(z.strictObject({ section: z.enum(SUMMARY_SECTIONS), sentences: z.array(SentenceSchema) })),
});
export const DraftSchema = z.strictObject({ hook: BodySchema, medium: BodySchema, expanded: BodySchema });

export const LengthRangeSchema = z.strictObject({ minWords: z.number().int().nonnegative(), maxWords: z.number().int().positive() });

/** One regression stock: its pinned sources, the facts its brief must state, and a verified brief. */
export const RegressionRowSchema = z.strictObject({
  id: z.string().regex(/^reg-[A-Z0-9.]+-\d{4}-\d{2}-\d{2}$/),
  ticker: Ticker,
  asOf: Iso,
  /** sha256 of the canonical source bundle the demo sources give for (ticker, asOf). */
  bundleHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The fact snapshot's own hash (lambdas/core/facts). */
  sourceHash: z.string().min(1),
  keyFacts: z.array(KeyFactSchema),
  /** Sections each length must have. */
  sections: z.record(z.enum(SUMMARY_LENGTHS), z.array(z.enum(SUMMARY_SECTIONS))),
  lengths: z.record(z.enum(SUMMARY_LENGTHS), LengthRangeSchema),
  /** A brief written from the snapshot alone (every figure is a snapshot figure), the adversarial suite's base text. */
  verifiedBrief: DraftSchema,
});
export type RegressionRow = z.infer<typeof RegressionRowSchema>;

export const ADVERSARIAL_KINDS = [
  'wrong_number',
  'wrong_scale',
  'wrong_period',
  'wrong_line_item',
  'flipped_direction',
  'flipped_sign',
  'estimate_as_actual',
  'conflict_loser',
  'flipped_rating',
  'wrong_firm',
  'invented_entity',
  'swapped_ticker',
  'future_date',
  'stale_as_current',
  'unsupported_superlative',
  'invented_event',
  'promissory',
  'recommending',
] as const;
export type AdversarialKind = (typeof ADVERSARIAL_KINDS)[number];

/** Clean controls: the verified text itself, and meaning-preserving rewordings of one sentence. */
export const CONTROL_KINDS = ['clean', 'reworded'] as const;
export type ControlKind = (typeof CONTROL_KINDS)[number];

/** One edit of a verified brief: a sentence replaced, or a sentence added to a section. */
export const EditSchema = z.union([
  z.strictObject({
    op: z.literal('replace'),
    section: z.enum(SUMMARY_SECTIONS),
    index: z.number().int().nonnegative(),
    before: z.string(),
    after: z.string().min(1),
  }),
  z.strictObject({ op: z.literal('append'), section: z.enum(SUMMARY_SECTIONS), after: z.string().min(1), citations: z.array(z.string()) }),
  z.strictObject({ op: z.literal('none') }),
]);
export type Edit = z.infer<typeof EditSchema>;

export const AdversarialRowSchema = z.strictObject({
  id: z.string().regex(/^adv-[a-z_]+-[A-Z0-9.]+-\d+$/),
  /** The regression row whose verified brief is edited. */
  base: z.string().min(1),
  kind: z.enum([...ADVERSARIAL_KINDS, ...CONTROL_KINDS]),
  /** True: the edited brief states something the sources do not support. */
  hallucinated: z.boolean(),
  /** The expanded length is edited (the length with every section). */
  edit: EditSchema,
});
export type AdversarialRow = z.infer<typeof AdversarialRowSchema>;

export const QUERY_CATEGORIES = [
  'simple',
  'deep',
  'comparison',
  'follow_up',
  'out_of_scope',
  'injection',
  'compliance',
  'pii',
  'unknown_ticker',
] as const;
export type QueryCategory = (typeof QUERY_CATEGORIES)[number];

export const QueryRowSchema = z.strictObject({
  id: z.string().regex(/^q-\d{4}$/),
  category: z.enum(QUERY_CATEGORIES),
  question: z.string().min(1),
  tickers: z.array(Ticker).optional(),
  /** The regression stocks the question is about (by ticker or by name); none for refusals that name none. */
  about: z.array(Ticker),
  /** Turns with the same session id share a conversation; a follow-up comes after its lead. */
  sessionId: z.string().min(1),
  depth: z.enum(['simple', 'deep', 'auto']).optional(),
  expect: z.strictObject({
    outcome: z.enum(['answered', 'rejected']),
    /** The refusal code (INPUT_BLOCK_CODES) a rejected question must get. */
    code: z.string().optional(),
    /** Figures the answer must state. */
    mustContain: z.array(KeyFactSchema),
    /** Phrases the answer must never contain (case-insensitive). */
    mustNotContain: z.array(z.string().min(1)),
  }),
});
export type QueryRow = z.infer<typeof QueryRowSchema>;

/** JSON with object keys sorted at every depth: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A dataset's version: sha256 over its rows' canonical JSON, one per line, in order. */
export function datasetHash(rows: readonly unknown[]): string {
  return sha256(rows.map(canonicalJson).join('\n'));
}
