/**
 * The query suite: every FA question through the real query path (`answerQuery` with the query
 * wiring: input guardrails, resolver, retrieval from dynalite, the configured model, output
 * guardrails), in dataset order so follow-ups meet their session. Each answer is judged on the
 * refusal it should (not) get, the figures it must state, the phrases it must not contain, its
 * citations, grounding (the pre-traffic check's own judge) and disclaimer. Then the output
 * guardrails are probed: one sentence of each clean answer perturbed (evals/lib/perturb.ts), and the
 * guardrails must take it out while leaving the clean answer alone.
 */
import type { FactSnapshot, StoredSummary } from '../../../lambdas/core/model';
import type { QueryRow } from '../../../lambdas/core/evaluation/datasets';
import { statesFact } from '../../../lambdas/core/evaluation/brief-checks';
import { meanInterval, quantileInterval, wilson } from '../../../lambdas/core/evaluation/stats';
import { evaluate } from '../../../lambdas/core/contracts/golden-checks';
import { ANSWER_DISCLAIMER, checkOutput, mergeSnapshots } from '../../../lambdas/core/guardrails/output-guardrails';
import type { AnswerSentence } from '../../../lambdas/core/guardrails/output-guardrails';
import type { QueryAnswer, QueryInput, QueryOutcome } from '../../../lambdas/core/query/query-service';
import { answerObservation } from '../../../lambdas/core/experiments/observations';
import { promise, recommendation, SENTENCE_EDITS } from '../perturb';
import type { Random } from '../perturb';
import { random as seeded } from '../build-datasets';
import type { ItemResult, Progress, SuiteRun } from './types';

export interface QuerySuiteDeps {
  answer(input: QueryInput): Promise<QueryOutcome>;
  readBrief(ticker: string): Promise<StoredSummary | undefined>;
  otherTickers: readonly string[];
}

/** The perturbations the answer probes plant (answers carry figures, dates and periods, not ratings by firm). */
export const ANSWER_PROBE_KINDS = [
  'wrong_number',
  'wrong_scale',
  'wrong_period',
  'flipped_direction',
  'unsupported_superlative',
  'promissory',
  'recommending',
] as const;
type ProbeKind = (typeof ANSWER_PROBE_KINDS)[number];

function probe(
  kind: ProbeKind,
  sentences: AnswerSentence[],
  snapshot: FactSnapshot,
  otherTickers: readonly string[],
  r: Random,
): { sentences: AnswerSentence[]; planted: string } | undefined {
  if (kind === 'promissory' || kind === 'recommending') {
    const text = kind === 'promissory' ? promise(r) : recommendation(r);
    const citations = sentences.find((s) => s.citations.length > 0)?.citations.slice(0, 1) ?? [];
    return { sentences: [...sentences, { text, citations }], planted: text };
  }
  const ctx = { snapshot, coveringFirms: [], otherFirms: [], otherTickers, random: r };
  const order = sentences.map((_, i) => i).sort(() => r() - 0.5);
  for (const i of order) {
    const after = SENTENCE_EDITS[kind](sentences[i]!.text, ctx);
    if (after && after !== sentences[i]!.text) {
      const copy = sentences.map((s) => ({ ...s }));
      copy[i]!.text = after;
      return { sentences: copy, planted: after };
    }
  }
  return undefined;
}

export async function runQuerySuite(rows: readonly QueryRow[], deps: QuerySuiteDeps, progress: Progress): Promise<SuiteRun> {
  const items: ItemResult[] = [];
  let behaved = 0;
  let answeredExpected = 0;
  let facts = 0;
  let factsFound = 0;
  let clean = 0;
  let withCitations = 0;
  let grounded = 0;
  let disclaimed = 0;
  const latencies: number[] = [];
  const costs: number[] = [];
  const probes = new Map<string, { n: number; k: number }>();
  let controls = 0;
  let controlFlags = 0;
  const r = seeded(777);
  for (const [i, row] of rows.entries()) {
    const started = performance.now();
    const outcome = await deps.answer({
      question: row.question,
      sessionId: row.sessionId,
      ...(row.tickers ? { tickers: row.tickers } : {}),
      ...(row.depth ? { depth: row.depth } : {}),
    });
    latencies.push(performance.now() - started);
    const findings: ItemResult['findings'] = [];
    const expect = row.expect;
    if (expect.outcome === 'rejected') {
      if (outcome.kind === 'rejected' && (!expect.code || outcome.code === expect.code)) behaved += 1;
      else
        findings.push({
          check: 'guardrail_behaviour',
          detail:
            outcome.kind === 'rejected'
              ? `refused with ${outcome.code}, expected ${expect.code}`
              : `answered, expected a refusal with ${expect.code}`,
        });
    } else if (outcome.kind !== 'answered') {
      findings.push({ check: 'guardrail_behaviour', detail: `refused with ${outcome.code} (${outcome.message}), expected an answer` });
      facts += expect.mustContain.length;
    } else {
      behaved += 1;
      answeredExpected += 1;
      const answer: QueryAnswer = outcome.answer;
      costs.push(answer.cost.usd);
      const texts = answer.sentences.map((s) => s.text);
      for (const fact of expect.mustContain) {
        facts += 1;
        if (statesFact(texts, fact)) factsFound += 1;
        else findings.push({ check: 'fact_recall', detail: `does not state ${fact.metric} ${fact.period} ${fact.display}` });
      }
      const lower = answer.answer.toLowerCase();
      const forbidden = expect.mustNotContain.filter((p) => lower.includes(p.toLowerCase()));
      if (forbidden.length === 0) clean += 1;
      else findings.push({ check: 'forbidden_content', detail: `contains ${forbidden.map((p) => JSON.stringify(p)).join(', ')}` });
      const numbers = new Set(answer.citations.map((c) => c.n));
      if (answer.citations.length > 0 && answer.sentences.every((s) => s.citations.every((n) => numbers.has(n)))) withCitations += 1;
      else
        findings.push({
          check: 'citation_presence',
          detail: answer.citations.length === 0 ? 'no citations' : 'cites a number its citation list lacks',
        });
      const judged = evaluate(
        { name: row.id, event: {}, expect: { grounded: true } },
        { payload: { statusCode: 200, body: JSON.stringify(answer) } },
      );
      if (judged.passed) grounded += 1;
      else findings.push({ check: 'grounded', detail: judged.detail });
      if (answer.disclaimer === ANSWER_DISCLAIMER) disclaimed += 1;
      else findings.push({ check: 'disclaimer', detail: 'the answer lacks the disclaimer' });

      // Guardrail probes on this clean answer.
      const briefs = (await Promise.all(answer.tickers.map((t) => deps.readBrief(t)))).filter((b): b is StoredSummary => b !== undefined);
      if (briefs.length > 0) {
        const snapshot = mergeSnapshots(briefs.map((b) => b.snapshot));
        const byN = new Map(answer.citations.map((c) => [c.n, c.sourceId]));
        const sentences: AnswerSentence[] = answer.sentences.map((s) => ({
          text: s.text,
          citations: s.citations.map((n) => byN.get(n) ?? String(n)),
        }));
        const documentText: Record<string, string> = {};
        for (const c of answer.citations) documentText[c.sourceId] = `${documentText[c.sourceId] ?? ''}\n${c.quote}`;
        for (const b of briefs)
          for (const s of b.summary.expanded.sections.flatMap((x) => x.sentences))
            for (const id of s.citations) documentText[id] = `${documentText[id] ?? ''}\n${s.text}`;
        const grounding = { knownEntities: briefs.flatMap((b) => [b.ticker, b.snapshot.companyName]), documentText };
        controls += 1;
        const control = checkOutput(sentences, snapshot, grounding);
        if (control.removed.length > 0) {
          controlFlags += 1;
          findings.push({
            check: 'answer_guardrail.false_positive_rate',
            detail: `removed a clean sentence: ${control.removed[0]!.flag}: "${control.removed[0]!.text}" (${control.removed[0]!.detail})`,
          });
        }
        const kind = ANSWER_PROBE_KINDS[i % ANSWER_PROBE_KINDS.length]!;
        const planted = probe(kind, sentences, snapshot, deps.otherTickers, r);
        if (planted) {
          const tally = probes.get(kind) ?? { n: 0, k: 0 };
          tally.n += 1;
          const check = checkOutput(planted.sentences, snapshot, grounding);
          if (check.removed.some((x) => x.text === planted.planted)) tally.k += 1;
          else findings.push({ check: `answer_guardrail.recall.${kind}`, detail: `kept "${planted.planted}"` });
          probes.set(kind, tally);
        }
      }
    }
    items.push({
      id: row.id,
      pass: findings.length === 0,
      findings,
      ...(outcome.kind === 'answered'
        ? {
            observations: answerObservation({
              hallucinationFlagged: outcome.telemetry.hallucinationFlagged,
              costUsd: outcome.answer.cost.usd,
            }),
            arm: outcome.answer.promptVariant,
          }
        : {}),
    });
    if ((i + 1) % 100 === 0) progress(`query: ${i + 1}/${rows.length} questions`);
  }
  const estimates: SuiteRun['estimates'] = {
    guardrail_behaviour: wilson(behaved, rows.length),
    fact_recall: wilson(factsFound, facts),
    forbidden_content_free: wilson(clean, answeredExpected),
    citation_presence: wilson(withCitations, answeredExpected),
    grounded: wilson(grounded, answeredExpected),
    disclaimer: wilson(disclaimed, answeredExpected),
    latency_p95_ms: quantileInterval(latencies, 0.95),
    cost_per_query_usd: meanInterval(costs),
    'answer_guardrail.false_positive_rate': wilson(controlFlags, controls),
  };
  let n = 0;
  let k = 0;
  for (const kind of ANSWER_PROBE_KINDS) {
    const tally = probes.get(kind) ?? { n: 0, k: 0 };
    estimates[`answer_guardrail.recall.${kind}`] = wilson(tally.k, tally.n);
    n += tally.n;
    k += tally.k;
  }
  estimates['answer_guardrail.recall'] = wilson(k, n);
  progress(
    `query: ${rows.length} questions, ${answeredExpected} answered as expected; guardrail probes caught ${k}/${n}, removed clean sentences in ${controlFlags}/${controls} answers`,
  );
  return { n: rows.length, estimates, items, notes: { answered: answeredExpected } };
}
