/**
 * The summary-writing prompt and the shape of the model's answer. Static instructions come first
 * (a Bedrock cache point follows them), then the per-stock material as tagged JSON blocks; the
 * facts, about 85 % of the material, as a table (a header line, then one JSON array per fact), which
 * takes about 40 % of the characters of the same facts as JSON objects with their keys repeated.
 */
import { z } from 'zod';
import { SUMMARY_SECTIONS } from '../model';
import type { SummaryDraft, VerificationFinding } from '../model';
import { BriefInputSchema } from './brief-input';
import type { BriefInput, PromptFact } from './brief-input';
import { describeIssue } from '../validation';

/** Bump when the instructions or output contract change: stored summaries are then rewritten. */
export const PROMPT_VERSION = 'brief-v2';

/**
 * Writer prompt variants under A/B test (config/ab_tests.yaml, experiment medium_writer). v1 is the
 * prompt as it was; v2 asks for a tighter medium brief. A variant's stored prompt version differs,
 * so a stock that changes arm is rewritten rather than reused.
 */
export const WRITER_PROMPT_VARIANTS = {
  v1: { mediumWords: 150, promptVersion: PROMPT_VERSION },
  v2: { mediumWords: 110, promptVersion: `${PROMPT_VERSION}.medium-v2` },
} as const;
export type WriterPromptVariant = keyof typeof WRITER_PROMPT_VARIANTS;

/** The prompt version stored with a brief written under a variant. */
export function promptVersionOf(variant: WriterPromptVariant = 'v1'): string {
  return WRITER_PROMPT_VARIANTS[variant].promptVersion;
}

/** The static instructions of a variant (v1's text is the original prompt, byte for byte). */
export function writerSystemPrompt(variant: WriterPromptVariant = 'v1'): string {
  const { mediumWords } = WRITER_PROMPT_VARIANTS[variant];
  const tighter =
    variant === 'v2'
      ? `\n- medium, tighter: at most ${mediumWords} words; keep the sentences with figures and the risks, drop the rest.`
      : '';
  return `You write stock briefs for financial advisors. Prompt version ${PROMPT_VERSION}.

Rules:
1. Use only the material in <facts>, <conflicts>, <excerpts> and <gaps>. Never add a figure, date or claim that is not there.
2. <facts> is a table: its first line names the columns, each further line is one fact. Copy every figure exactly as its "display" shows it (a negative "value" is a loss or a decline), with the "periodLabel" of the same fact.
3. Every sentence that carries a figure cites the "docId" of each fact it uses, and the "alsoCites" of a fact computed from others; prose taken from an excerpt cites that excerpt's docId. Cite only docIds listed in <documents>.
4. When sources disagree (<conflicts>), say so and say which source the brief uses.
5. Say what the brief could not see (<gaps>).
6. No recommendations, no promises about returns.

Answer with JSON only, in this shape:
{"hook": Body, "medium": Body, "expanded": Body}
Body = {"sections": [{"section": one of ${SUMMARY_SECTIONS.map((s) => `"${s}"`).join(', ')}, "sentences": [{"text": string, "citations": [docId, ...]}]}]}
- hook: one sentence of about 25 words.
- medium: about ${mediumWords} words across the sections.${tighter}
- expanded: about 500 words, all six sections where material exists.
If <findings> is present, your previous draft failed fact-checking: fix every finding and change nothing else.`;
}

export const WRITER_SYSTEM_PROMPT = writerSystemPrompt('v1');

/** The hard limit on the medium brief a writer prompt sets, if any ("about N words" is a target, not a limit). */
export function mediumWordLimit(system: string): number | undefined {
  const match = /- medium, tighter: at most (\d+) words/.exec(system);
  return match ? Number(match[1]) : undefined;
}

function block(tag: string, value: unknown): string {
  return `<${tag}>\n${JSON.stringify(value)}\n</${tag}>`;
}

/** The columns of the facts table. `id` and `fiscalPeriod` follow from the others and are not sent. */
const FACT_COLUMNS = ['metric', 'periodKey', 'periodLabel', 'fiscalYear', 'value', 'unit', 'display', 'docId', 'alsoCites'] as const;

function factsTable(facts: PromptFact[]): string {
  const rows = facts.map((f) => {
    const alsoCites = f.docIds.filter((d) => d !== f.docId);
    return JSON.stringify([
      f.metric,
      f.periodKey,
      f.periodLabel,
      f.fiscalYear,
      f.value,
      f.unit,
      f.display,
      f.docId,
      ...(alsoCites.length > 0 ? [alsoCites] : []),
    ]);
  });
  return `<facts>\n${[JSON.stringify(FACT_COLUMNS), ...rows].join('\n')}\n</facts>`;
}

const FactRowSchema = z.tuple(
  [z.string(), z.string(), z.string(), z.number(), z.number(), z.string(), z.string(), z.string()],
  z.array(z.string()),
);

function factsOfTable(prompt: string): PromptFact[] | undefined {
  const match = /<facts>\n([\s\S]*?)\n<\/facts>/.exec(prompt);
  if (!match) return undefined;
  return match[1]!
    .split('\n')
    .slice(1)
    .map((line) => {
      const [metric, periodKey, periodLabel, fiscalYear, value, unit, display, docId, ...alsoCites] = FactRowSchema.parse(JSON.parse(line));
      const fiscalPeriod = periodKey === 'spot' ? 'spot' : periodKey.slice(periodKey.indexOf('-') + 1);
      return {
        id: `${metric}|${periodKey}|${docId}`,
        metric,
        periodKey,
        periodLabel,
        fiscalYear,
        fiscalPeriod,
        value,
        unit,
        display,
        docId,
        docIds: [docId, ...alsoCites.flat()],
      };
    });
}

export function renderWriterPrompt(input: BriefInput, findings?: VerificationFinding[]): string {
  const parts = [
    block('company', input.company),
    factsTable(input.facts),
    block('conflicts', input.conflicts),
    block('documents', input.documents),
    block('excerpts', input.excerpts),
    block('gaps', input.gaps),
  ];
  if (findings && findings.length > 0) parts.push(block('findings', findings));
  return parts.join('\n');
}

function readBlock(prompt: string, tag: string): unknown {
  const match = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(prompt);
  return match ? JSON.parse(match[1]!) : undefined;
}

/** Inverse of `renderWriterPrompt`, for the local provider. Throws on a prompt it cannot read. */
export function parseWriterPrompt(prompt: string): { input: BriefInput; findings: unknown[] } {
  const input = BriefInputSchema.parse({
    company: readBlock(prompt, 'company'),
    facts: factsOfTable(prompt),
    conflicts: readBlock(prompt, 'conflicts'),
    documents: readBlock(prompt, 'documents'),
    excerpts: readBlock(prompt, 'excerpts'),
    gaps: readBlock(prompt, 'gaps'),
  });
  const findings = readBlock(prompt, 'findings');
  return { input, findings: Array.isArray(findings) ? findings : [] };
}

const SentenceSchema = z.object({ text: z.string().min(1).max(2000), citations: z.array(z.string()).max(20) });
const BodySchema = z.object({
  sections: z.array(z.object({ section: z.enum(SUMMARY_SECTIONS), sentences: z.array(SentenceSchema).min(1) })).min(1),
});
export const SummaryDraftSchema = z.object({ hook: BodySchema, medium: BodySchema, expanded: BodySchema });

/** Parse a model's answer; tolerates a fenced code block around the JSON. */
export function parseDraft(text: string): { draft: SummaryDraft } | { error: string } {
  const json = text.replace(/^[\s\S]*?(\{)/, '$1').replace(/\}[^}]*$/, '}');
  try {
    const parsed = SummaryDraftSchema.safeParse(JSON.parse(json));
    if (parsed.success) return { draft: parsed.data };
    return { error: `draft does not match the output contract at ${describeIssue(parsed.error)}` };
  } catch {
    return { error: 'draft is not valid JSON' };
  }
}
