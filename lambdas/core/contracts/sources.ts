/**
 * Which adapter serves each source kind: the one choice the stage config (`batch.sources`), the
 * runtime environment (`FA_SOURCES`) and the CLIs (`--sources`) all make, parsed by one schema.
 *
 * Forms: the shorthand `demo` (the generated fictional universe for every kind) or `edgar` (a CSV
 * universe, EDGAR filings and vendor feeds for the rest); an object naming adapters per kind; or,
 * where only a string fits (an environment variable, a flag), `kind=adapter,...` or that object as
 * JSON. Kinds left out of an object or list are `demo`.
 */
import { z } from 'zod';
import { firstIssue } from '../validation';
import { InputValidationError } from '../errors';

export const SOURCE_ADAPTERS = {
  universe: ['demo', 'csv'],
  filings: ['demo', 'edgar'],
  fundamentals: ['demo', 'feed'],
  research: ['demo', 'feed'],
  news: ['demo', 'feed'],
} as const;

export type SourceChoiceKind = keyof typeof SOURCE_ADAPTERS;
export const SOURCE_CHOICE_KINDS = Object.keys(SOURCE_ADAPTERS) as SourceChoiceKind[];

export type SourceChoice = { readonly [K in SourceChoiceKind]: (typeof SOURCE_ADAPTERS)[K][number] };

export const DEMO_SOURCES: SourceChoice = { universe: 'demo', filings: 'demo', fundamentals: 'demo', research: 'demo', news: 'demo' };
export const EDGAR_SOURCES: SourceChoice = { universe: 'csv', filings: 'edgar', fundamentals: 'feed', research: 'feed', news: 'feed' };
const PRESETS = { demo: DEMO_SOURCES, edgar: EDGAR_SOURCES } as const;

const PerKindSchema = z
  .object({
    universe: z.enum(SOURCE_ADAPTERS.universe).default('demo'),
    filings: z.enum(SOURCE_ADAPTERS.filings).default('demo'),
    fundamentals: z.enum(SOURCE_ADAPTERS.fundamentals).default('demo'),
    research: z.enum(SOURCE_ADAPTERS.research).default('demo'),
    news: z.enum(SOURCE_ADAPTERS.news).default('demo'),
  })
  .strict();

/**
 * The demo knows only its fictional companies and EDGAR only real CIKs, so a real universe with
 * demo data (or the reverse) would brief nobody: reject the mix instead of failing every stock.
 */
function consistent(choice: SourceChoice, ctx: z.RefinementCtx): void {
  if (choice.universe === 'csv') {
    for (const kind of SOURCE_CHOICE_KINDS) {
      if (choice[kind] === 'demo')
        ctx.addIssue({
          code: 'custom',
          path: [kind],
          message: 'cannot be demo with a csv universe (the demo knows only its fictional companies)',
        });
    }
  } else if (choice.filings === 'edgar') {
    ctx.addIssue({ code: 'custom', path: ['filings'], message: 'cannot be edgar with the demo universe (its CIKs are fictional)' });
  }
}

const PRESET_ERROR = 'must be demo, edgar, or adapters per kind such as universe=csv,filings=edgar (docs/SOURCES.md)';
const PresetSchema = z.enum(['demo', 'edgar'], { error: PRESET_ERROR }).transform((preset) => PRESETS[preset]);

/** `batch.sources` in the stage config: `"demo"`, `"edgar"` or `{ universe: "csv", filings: "edgar", … }`. */
export const SourceChoiceSchema = z
  .unknown()
  // A string is a shorthand and anything else the per-kind object, so each gets its own message.
  .transform((value, ctx): SourceChoice => {
    const parsed = typeof value === 'string' ? PresetSchema.safeParse(value) : PerKindSchema.safeParse(value);
    if (parsed.success) return { ...parsed.data };
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  })
  .superRefine(consistent);

/** `kind=adapter,kind=adapter` → an object for the schema; anything else is passed on as it is. */
function listToObject(text: string): unknown {
  return Object.fromEntries(
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [kind = '', adapter = ''] = part.split('=').map((side) => side.trim());
        return [kind, adapter];
      }),
  );
}

function fromText(text: string): unknown {
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  return text.includes('=') ? listToObject(text) : text;
}

/** The first issue as one line, its kind named inside it (`filings cannot be …`). */
function reasonOf(error: z.ZodError): string {
  const { path, message } = firstIssue(error);
  return path ? `${path} ${message}` : message;
}

/**
 * The string forms (`FA_SOURCES`, `--sources`): a shorthand, `kind=adapter,...` or JSON. Its
 * issues carry no path, so a CLI or environment error names the kind in its one line.
 */
export const SourceChoiceTextSchema = z
  .string()
  .trim()
  .transform((text, ctx): SourceChoice => {
    const input = fromText(text);
    if (input === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
      return z.NEVER;
    }
    const parsed = SourceChoiceSchema.safeParse(input);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: reasonOf(parsed.error) });
    return z.NEVER;
  });

/** Parse a string form; a bad value throws `InputValidationError` with a one-line reason. */
export function parseSourceChoice(text: string): SourceChoice {
  const parsed = SourceChoiceTextSchema.safeParse(text);
  if (parsed.success) return parsed.data;
  throw new InputValidationError(`sources ${firstIssue(parsed.error).message}`);
}

/** The string form of a choice, for an environment variable: the shorthand when it is one. */
export function formatSourceChoice(choice: SourceChoice): string {
  for (const [name, preset] of Object.entries(PRESETS)) {
    if (SOURCE_CHOICE_KINDS.every((kind) => preset[kind] === choice[kind])) return name;
  }
  return SOURCE_CHOICE_KINDS.map((kind) => `${kind}=${choice[kind]}`).join(',');
}

/** The feed kinds this choice reads from vendor feeds. */
export function feedKindsOf(choice: SourceChoice): Array<'fundamentals' | 'research' | 'news'> {
  return (['fundamentals', 'research', 'news'] as const).filter((kind) => choice[kind] === 'feed');
}
