/**
 * The deterministic local model for the `answer` task (FA_LLM=local). Like the local brief writer it
 * is grounded by construction: it reads the answer prompt back (core/query/answer-prompt.ts) and
 * writes only from the facts, excerpts, briefs and notes in it, copying every figure as its display
 * string (format.ts) with its period label and citing the numbered sources of each — so its answers
 * pass the same verifier the briefs pass, and a real model's slips are what the guardrails catch.
 *
 * Optionally it waits like Bedrock would (time to first token plus output tokens at a model's
 * speed, with log-normal jitter), so the load test exercises 500 concurrent FAs honestly without an
 * AWS account. The figures are assumptions, stated in `REALISTIC_BEDROCK_LATENCY`.
 */
import type { LlmPort, LlmRequest, LlmResponse } from '../../core/ports';
import { isAnswerPrompt, parseAnswerPrompt } from '../../core/query/answer-prompt';
import type { ParsedAnswerPrompt, SpecialistFocus } from '../../core/query/answer-prompt';
import type { ContextExcerpt, ContextFact } from '../../core/query/context';
import { factSentence } from '../../core/query/fact-sentences';
import { ModelValidationError } from '../../core/errors';
import { estimateTokens } from './local-grounded-llm';

export const LOCAL_ANSWER_MODEL_ID = 'local/grounded-answer-v1';

type Sentence = ReturnType<typeof factSentence>;

// ---------------------------------------------------------------------------------------------
// Writing from the prompt.

const HAS_DIGIT = /\d/;
const ABBREVIATION_RE = /\b(Corp|Inc|Co|Ltd|Mr|Ms|Mrs|Dr|St|No|vs|U\.S|Jr|Sr)\.(?=\s+[A-Za-z])/g;

/** Sentences of a source passage that carry no figures: safe to quote without a fact behind them. */
function numberFreeSentences(text: string): string[] {
  // Line by line: a chunk opens with its section title, which has no full stop to end it.
  return (
    text
      .split('\n')
      // An abbreviation's full stop ("Hyaria Corp. said") does not end a sentence: it is held as U+2024 meanwhile.
      .flatMap(
        (line) =>
          line
            .replace(/\s+/g, ' ')
            .replace(ABBREVIATION_RE, '$1\u2024')
            .match(/[^.!?…]+[.!?]/g) ?? [],
      )
      .map((s) => s.trim().replace(/\u2024/g, '.'))
      // Short sentences are boilerplate ("Investing in our securities involves risk.").
      .filter((s) => s.length >= 50 && s.length <= 280 && !HAS_DIGIT.test(s) && !/["“”]/.test(s) && /^[A-Z]/.test(s))
  );
}

const KIND_LEAD: Record<ContextExcerpt['kind'], string> = {
  filings: 'the filings',
  fundamentals: 'vendor data',
  research: 'research notes',
  news: 'the news',
};

function excerptSentences(excerpts: ContextExcerpt[], subject: (ticker: string) => string, limit: number): Sentence[] {
  const out: Sentence[] = [];
  const seen = new Set<string>();
  for (const excerpt of excerpts) {
    if (out.length >= limit) break;
    const sentence = numberFreeSentences(excerpt.text)[0];
    if (!sentence || seen.has(sentence)) continue;
    seen.add(sentence);
    out.push({ text: `From ${KIND_LEAD[excerpt.kind]} on ${subject(excerpt.ticker)}: ${sentence}`, sources: [excerpt.source] });
  }
  return out;
}

const TOPIC_CUES: Record<string, RegExp> = {
  analysts: /\brates the stock\b|\bprice target\b/,
  risks: /\brisk\b/,
  news: /./,
  business: /\boperates in\b/,
};

/** "Kelorix Instruments Inc." → "Kelorix Instruments": how a brief names a company after the first mention. */
export function shortName(name: string): string {
  return (
    name.replace(/,?\s+(?:Holdings,?\s+)?(?:Group,?\s+)?(?:Inc\.?|Corp\.?|Corporation|Co\.?|Company|plc|Ltd\.?|LLC|L\.P\.)$/i, '').trim() ||
    name
  );
}

function subjectFor(prompt: ParsedAnswerPrompt): (ticker: string) => string {
  const names = new Map(prompt.companies.map((c) => [c.ticker, shortName(c.name)]));
  const single = prompt.companies.length === 1;
  return (ticker) => {
    const name = names.get(ticker);
    // Names with digits would read as figures to the verifier; the symbol never does.
    return single && name && !HAS_DIGIT.test(name) ? name : ticker;
  };
}

function factsFor(prompt: ParsedAnswerPrompt, ticker: string, limit: number): ContextFact[] {
  return prompt.facts.filter((f) => f.ticker === ticker).slice(0, limit);
}

function simpleAnswer(prompt: ParsedAnswerPrompt): Sentence[] {
  const subject = subjectFor(prompt);
  const perCompany = prompt.companies.length > 1 ? 3 : 4;
  const out: Sentence[] = [];
  for (const company of prompt.companies) {
    const facts = factsFor(prompt, company.ticker, perCompany).map((f) => factSentence(f, subject(company.ticker)));
    out.push(...facts);
    const brief = company.brief;
    for (const topic of prompt.task.topics) {
      const cue = TOPIC_CUES[topic];
      if (!cue || topic === 'news') continue;
      const match = brief.find((s) => cue.test(s.text) && s.sources.length > 0 && !out.some((o) => o.text === s.text));
      if (match) out.push(match);
    }
    const excerpts = prompt.excerpts.filter((e) => e.ticker === company.ticker);
    out.push(...excerptSentences(excerpts, subject, facts.length > 0 ? 1 : 2));
    if (facts.length === 0 && out.length === 0) out.push(...brief.filter((s) => s.sources.length > 0).slice(0, 3));
    for (const gap of company.gaps.slice(0, 1)) out.push({ text: `For ${company.ticker}, ${gap}.`, sources: [] });
  }
  if (out.every((s) => s.sources.length === 0)) {
    out.unshift({ text: 'The stored sources do not cover this question directly.', sources: [] });
  }
  return out;
}

function specialistNotes(prompt: ParsedAnswerPrompt, focus: SpecialistFocus): Sentence[] {
  const subject = subjectFor(prompt);
  const out: Sentence[] = [];
  for (const company of prompt.companies) {
    const facts = factsFor(prompt, company.ticker, focus === 'fundamentals' ? 3 : 2).map((f) => factSentence(f, subject(company.ticker)));
    const excerpts = excerptSentences(
      prompt.excerpts.filter((e) => e.ticker === company.ticker),
      subject,
      focus === 'fundamentals' ? 0 : 2,
    );
    out.push(...facts, ...excerpts);
  }
  return out.slice(0, 4 * Math.max(1, prompt.companies.length));
}

function synthesis(prompt: ParsedAnswerPrompt): Sentence[] {
  // What the question is about comes first: analyst and news questions lead with the notes.
  const order: SpecialistFocus[] = prompt.task.topics.some((t) => t === 'analysts' || t === 'news')
    ? ['fundamentals', 'notes_news', 'filings']
    : ['fundamentals', 'filings', 'notes_news'];
  const seen = new Set<string>();
  const noted = order.flatMap((focus) => prompt.notes.filter((n) => n.focus === focus).flatMap((n) => n.sentences));
  const unique = noted.filter((s) => !seen.has(s.text) && (seen.add(s.text), true));
  const tickers = prompt.companies.map((c) => c.ticker);
  const out: Sentence[] = [];
  if (tickers.length > 1)
    out.push({ text: `Here is how ${tickers.slice(0, -1).join(', ')} and ${tickers.at(-1)} compare on the cited sources.`, sources: [] });
  // Interleave the stocks so a comparison reads side by side.
  const byTicker = tickers.map((t) => unique.filter((s) => s.text.includes(t) || tickers.length === 1));
  const rest = unique.filter((s) => !byTicker.some((list) => list.includes(s)));
  for (let i = 0; out.length < 9 && byTicker.some((list) => i < list.length); i += 1) {
    for (const list of byTicker) if (i < list.length && out.length < 9) out.push(list[i]!);
  }
  out.push(...rest.slice(0, Math.max(0, 9 - out.length)));
  if (!out.some((s) => s.sources.length > 0))
    out.push({ text: 'The specialists found no cited material that answers this question.', sources: [] });
  return out;
}

/** The answer a grounded model would write for this prompt. */
export function writeLocalAnswer(prompt: ParsedAnswerPrompt): Sentence[] {
  switch (prompt.task.mode) {
    case 'simple':
      return simpleAnswer(prompt);
    case 'specialist':
      return specialistNotes(prompt, prompt.task.focus ?? 'fundamentals');
    case 'synthesis':
      return synthesis(prompt);
  }
}

// ---------------------------------------------------------------------------------------------
// Latency.

/** How long a call takes, in milliseconds, given its request and the tokens it produced. */
export type LatencyModel = (request: LlmRequest, usage: { inputTokens: number; outputTokens: number }) => number;

export interface ModelSpeed {
  /** Median time to first token, ms, for a short prompt. */
  firstTokenMs: number;
  /** Extra time to first token per input token, ms (prompt processing). */
  perInputTokenMs: number;
  /** Median output speed, tokens per second. */
  tokensPerSecond: number;
}

/**
 * Assumed Bedrock on-demand speeds through US cross-region inference profiles, in line with public
 * latency benchmarks of these model classes (small: Haiku-class; strong: Sonnet-class). They are
 * assumptions, not measurements of this account; the load test prints which model it used.
 */
export const REALISTIC_BEDROCK_LATENCY: { small: ModelSpeed; strong: ModelSpeed; jitterSigma: number } = {
  small: { firstTokenMs: 550, perInputTokenMs: 0.05, tokensPerSecond: 130 },
  strong: { firstTokenMs: 1_000, perInputTokenMs: 0.12, tokensPerSecond: 65 },
  /** Log-normal sigma applied to each part: a long tail as in production, median unchanged. */
  jitterSigma: 0.3,
};

/** Standard normal from two uniforms (Box–Muller). */
function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A latency model of Bedrock: time to first token plus output tokens at the model's speed, each
 * with log-normal jitter. `strongModel` tells which model ids are the strong (slower) class.
 */
export function bedrockLatencyModel(options: {
  strongModel: (modelId: string) => boolean;
  random?: () => number;
  speeds?: typeof REALISTIC_BEDROCK_LATENCY;
}): LatencyModel {
  const random = options.random ?? Math.random;
  const speeds = options.speeds ?? REALISTIC_BEDROCK_LATENCY;
  return (request, usage) => {
    const speed = options.strongModel(request.modelId) ? speeds.strong : speeds.small;
    const jitter = () => Math.exp(speeds.jitterSigma * gaussian(random));
    const firstToken = (speed.firstTokenMs + usage.inputTokens * speed.perInputTokenMs) * jitter();
    const generation = (usage.outputTokens / speed.tokensPerSecond) * 1000 * jitter();
    return firstToken + generation;
  };
}

// ---------------------------------------------------------------------------------------------
// The provider.

export interface LocalAnswerLlmOptions {
  /** Without one, answers come back at once (tests, `npm run serve` by default). */
  latency?: LatencyModel;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class LocalAnswerLlm implements LlmPort {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: LocalAnswerLlmOptions = {}) {
    this.sleep = options.sleep ?? defaultSleep;
  }

  async converse(request: LlmRequest): Promise<LlmResponse> {
    const started = performance.now();
    if (request.task !== 'answer') throw new ModelValidationError(`the local answer provider does not handle task ${request.task}`);
    let prompt: ParsedAnswerPrompt;
    try {
      prompt = parseAnswerPrompt(request.prompt);
    } catch (error) {
      throw new ModelValidationError('the local answer provider could not read the answer prompt', { cause: error });
    }
    const text = JSON.stringify({ sentences: writeLocalAnswer(prompt) });
    // The answer system prompt is shorter than Bedrock's minimum cacheable prefix, so it is billed
    // as plain input on every call: no cache-read discount is claimed.
    const usage = {
      inputTokens: estimateTokens(request.system) + estimateTokens(request.prompt),
      outputTokens: Math.min(estimateTokens(text), request.maxTokens),
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    };
    if (this.options.latency) await this.sleep(this.options.latency(request, usage));
    return { text, modelId: request.modelId, usage, estimated: true, latencyMs: performance.now() - started, stopReason: 'end_turn' };
  }
}

/**
 * The local models behind one port: answer prompts to the answer provider, everything else (brief
 * writing) to the brief writer. A request is an answer when its task is `answer` or its prompt is
 * an answer prompt, so a wire format that carries no task (a Converse simulator) routes it too.
 */
export class LocalModels implements LlmPort {
  constructor(
    private readonly writer: LlmPort,
    private readonly answerer: LlmPort,
  ) {}

  converse(request: LlmRequest): Promise<LlmResponse> {
    if (request.task === 'answer' || isAnswerPrompt(request.prompt)) return this.answerer.converse({ ...request, task: 'answer' });
    return this.writer.converse(request);
  }
}
