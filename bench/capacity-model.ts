/**
 * A capacity model of the nightly batch on AWS: a discrete-event simulation of the Distributed Map
 * running N stocks at MaxConcurrency C against Bedrock's per-model quotas (tokens and requests per
 * minute, with Bedrock's reservation of input + maxTokens × burndown), with the SDK's retries, the
 * router's fallback and the state machine's Retry, plus the lower bounds each limit alone imposes,
 * so the report can say which one binds. Each stock's demand (its calls and tokens) comes from a
 * measured run; latency per call from the same model the simulator uses. Pure and deterministic
 * for a given `random`.
 */
import { QuotaWindow } from '../local/bedrock-sim/quota-window';
import type { Quota } from '../local/bedrock-sim/quota-window';

/** One model call a stock makes. */
export interface CallDemand {
  model: string;
  /** Tokens that count toward the quota on the input side (uncached input and cache writes). */
  inputTokens: number;
  outputTokens: number;
  maxTokens: number;
  /** Quota tokens burnt per output token (5 for Claude 4.x on Bedrock). */
  burndown: number;
}

/** What one stock asks of Bedrock and Lambda. */
export interface StockDemand {
  embedModel: string;
  embedCalls: number;
  embedTokensPerCall: number;
  /** Model calls in order (the draft; a regeneration for some stocks). */
  calls: CallDemand[];
  /** Lambda time besides model and embedding calls (sources, DynamoDB, verification), ms. */
  overheadMs: number;
}

export interface RetryPolicy {
  /** SDK attempts per call, the first included (standard retry, full-jitter exponential backoff). */
  sdkAttempts: number;
  sdkBaseDelayMs: number;
  /** Step Functions Retry on the throttling error: attempts after the first, interval, backoff rate. */
  stateMachineRetries: number;
  stateMachineIntervalMs: number;
  stateMachineBackoff: number;
  /** MaxDelaySeconds of the Retry, in ms (no cap when absent). */
  stateMachineMaxDelayMs?: number;
}

export interface CapacityInput {
  stocks: number;
  concurrency: number;
  /** Cycled over the stocks (measured per-stock demands, or one average demand). */
  demands: readonly StockDemand[];
  quotas: Readonly<Record<string, Quota>>;
  /** Simulated latency of one call, ms. */
  latencyMs: (call: { model: string; inputTokens: number; outputTokens: number }, random: () => number) => number;
  /** Embedding calls a stock keeps in flight (TitanEmbedder's concurrency). */
  embedConcurrency: number;
  /** The model a call moves to when its own keeps throttling (the router's fallback), if any. */
  fallback: Readonly<Record<string, string | undefined>>;
  retry: RetryPolicy;
  random: () => number;
}

export type Limit = 'concurrency' | 'tokens-per-minute' | 'requests-per-minute';

export interface CapacityResult {
  stocks: number;
  concurrency: number;
  /** Time from the first stock's start to the last one's end, ms. */
  wallMs: number;
  failed: number;
  /** Per model: calls made, calls throttled (each refusal counts), fallbacks taken. */
  requests: Record<string, number>;
  throttles: Record<string, number>;
  fallbacks: number;
  stockRetries: number;
  /** Lower bounds on the wall time from each limit alone, ms. */
  bounds: { concurrencyMs: number; tokensPerMinuteMs: Record<string, number>; requestsPerMinuteMs: Record<string, number> };
  /** The limit with the largest lower bound. */
  binding: { limit: Limit; model?: string; boundMs: number };
}

// ---------------------------------------------------------------------------------------------
// A tiny event queue.

interface Event {
  at: number;
  seq: number;
  run: () => void;
}

class EventQueue {
  private readonly heap: Event[] = [];
  private seq = 0;

  push(at: number, run: () => void): void {
    const event = { at, seq: (this.seq += 1), run };
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.before(heap[parent]!, heap[i]!)) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  pop(): Event | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && this.before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  }

  private before(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

// ---------------------------------------------------------------------------------------------
// Bounds.

function meanLatency(input: CapacityInput, call: { model: string; inputTokens: number; outputTokens: number }): number {
  // A fixed stream of draws: bounds must not depend on the simulation's random state.
  let x = 0.5;
  const draws = () => ((x = ((x * 9301 + 49297) % 233280) / 233280), x);
  let total = 0;
  for (let i = 0; i < 64; i += 1) total += input.latencyMs(call, draws);
  return total / 64;
}

/** The lower bound each limit alone puts on the wall time. */
export function capacityBounds(input: CapacityInput): CapacityResult['bounds'] {
  let busyMs = 0;
  const quotaTokens: Record<string, number> = {};
  const requests: Record<string, number> = {};
  for (let s = 0; s < input.stocks; s += 1) {
    const demand = input.demands[s % input.demands.length]!;
    const embedLatency = meanLatency(input, { model: demand.embedModel, inputTokens: demand.embedTokensPerCall, outputTokens: 0 });
    busyMs += demand.overheadMs + Math.ceil(demand.embedCalls / input.embedConcurrency) * embedLatency;
    requests[demand.embedModel] = (requests[demand.embedModel] ?? 0) + demand.embedCalls;
    quotaTokens[demand.embedModel] = (quotaTokens[demand.embedModel] ?? 0) + demand.embedCalls * demand.embedTokensPerCall;
    for (const call of demand.calls) {
      busyMs += meanLatency(input, call);
      requests[call.model] = (requests[call.model] ?? 0) + 1;
      quotaTokens[call.model] = (quotaTokens[call.model] ?? 0) + call.inputTokens + call.outputTokens * call.burndown;
    }
  }
  const tokensPerMinuteMs: Record<string, number> = {};
  const requestsPerMinuteMs: Record<string, number> = {};
  for (const [model, quota] of Object.entries(input.quotas)) {
    if (quota.tokensPerMinute) tokensPerMinuteMs[model] = ((quotaTokens[model] ?? 0) / quota.tokensPerMinute) * 60_000;
    if (quota.requestsPerMinute) requestsPerMinuteMs[model] = ((requests[model] ?? 0) / quota.requestsPerMinute) * 60_000;
  }
  return { concurrencyMs: busyMs / input.concurrency, tokensPerMinuteMs, requestsPerMinuteMs };
}

function bindingOf(bounds: CapacityResult['bounds']): CapacityResult['binding'] {
  let binding: CapacityResult['binding'] = { limit: 'concurrency', boundMs: bounds.concurrencyMs };
  for (const [model, ms] of Object.entries(bounds.tokensPerMinuteMs))
    if (ms > binding.boundMs) binding = { limit: 'tokens-per-minute', model, boundMs: ms };
  for (const [model, ms] of Object.entries(bounds.requestsPerMinuteMs))
    if (ms > binding.boundMs) binding = { limit: 'requests-per-minute', model, boundMs: ms };
  return binding;
}

// ---------------------------------------------------------------------------------------------
// The simulation.

/** Run the batch through the model. */
export function simulateCapacity(input: CapacityInput): CapacityResult {
  const queue = new EventQueue();
  const windows = new Map<string, QuotaWindow>();
  const windowOf = (model: string) => {
    let window = windows.get(model);
    if (!window) {
      window = new QuotaWindow(input.quotas[model] ?? {});
      windows.set(model, window);
    }
    return window;
  };
  const requests: Record<string, number> = {};
  const throttles: Record<string, number> = {};
  let fallbacks = 0;
  let stockRetries = 0;
  let failed = 0;
  let nextStock = 0;
  let lastEnd = 0;
  const random = input.random;

  /**
   * One call with the SDK's retries and the fallback: `done(true)` when it answered, `done(false)`
   * when it gave up (the stock then fails its attempt).
   */
  const call = (
    now: number,
    spec: { model: string; inputTokens: number; outputTokens: number; maxTokens: number; burndown: number },
    done: (at: number, ok: boolean) => void,
    attempt = 1,
    fellBack = false,
  ): void => {
    const window = windowOf(spec.model);
    const admission = window.admit(now, spec.inputTokens + spec.maxTokens * spec.burndown);
    requests[spec.model] = (requests[spec.model] ?? 0) + 1;
    if (admission.admitted) {
      const end = now + input.latencyMs(spec, random);
      queue.push(end, () => {
        window.settle(admission.ticket, spec.inputTokens + spec.outputTokens * spec.burndown);
        done(end, true);
      });
      return;
    }
    throttles[spec.model] = (throttles[spec.model] ?? 0) + 1;
    if (attempt < input.retry.sdkAttempts) {
      const delay = random() * input.retry.sdkBaseDelayMs * 2 ** (attempt - 1);
      queue.push(now + delay, () => call(now + delay, spec, done, attempt + 1, fellBack));
      return;
    }
    const to = input.fallback[spec.model];
    if (!fellBack && to !== undefined) {
      fallbacks += 1;
      call(now, { ...spec, model: to }, done, 1, true);
      return;
    }
    done(now, false);
  };

  /**
   * One attempt at a stock. `embedded`: an earlier attempt stored the chunks and their hashes, so
   * this one finds them in the embedding cache (a failed embedding step stores nothing).
   */
  const runStock = (
    now: number,
    demand: StockDemand,
    retriesLeft: number,
    retryIndex: number,
    finished: (at: number) => void,
    embedded = false,
  ): void => {
    let embeddedNow = embedded;
    const fail = (at: number) => {
      if (retriesLeft > 0) {
        stockRetries += 1;
        const interval = Math.min(
          input.retry.stateMachineMaxDelayMs ?? Infinity,
          input.retry.stateMachineIntervalMs * input.retry.stateMachineBackoff ** retryIndex,
        );
        const delay = random() * interval; // full jitter
        queue.push(at + delay, () => runStock(at + delay, demand, retriesLeft - 1, retryIndex + 1, finished, embeddedNow));
      } else {
        failed += 1;
        finished(at);
      }
    };
    const writeCalls = (at: number, index: number): void => {
      if (index >= demand.calls.length) {
        const end = at + demand.overheadMs / 2;
        queue.push(end, () => finished(end));
        return;
      }
      call(at, demand.calls[index]!, (t, ok) => (ok ? writeCalls(t, index + 1) : fail(t)));
    };
    const embed = (at: number): void => {
      let remaining = demand.embedCalls;
      let inFlight = 0;
      let gaveUp = false;
      const spec = { model: demand.embedModel, inputTokens: demand.embedTokensPerCall, outputTokens: 0, maxTokens: 0, burndown: 1 };
      const pump = (t: number): void => {
        if (gaveUp) return;
        if (remaining === 0 && inFlight === 0) {
          embeddedNow = true;
          return writeCalls(t, 0);
        }
        while (remaining > 0 && inFlight < input.embedConcurrency) {
          remaining -= 1;
          inFlight += 1;
          call(t, spec, (t2, ok) => {
            inFlight -= 1;
            if (!ok && !gaveUp) {
              gaveUp = true;
              return fail(t2);
            }
            pump(t2);
          });
        }
      };
      pump(at);
    };
    const start = now + demand.overheadMs / 2;
    queue.push(start, () => (demand.embedCalls > 0 && !embedded ? embed(start) : writeCalls(start, 0)));
  };

  const startNext = (now: number): void => {
    if (nextStock >= input.stocks) return;
    const demand = input.demands[nextStock % input.demands.length]!;
    nextStock += 1;
    runStock(now, demand, input.retry.stateMachineRetries, 0, (end) => {
      lastEnd = Math.max(lastEnd, end);
      startNext(end);
    });
  };

  for (let i = 0; i < Math.min(input.concurrency, input.stocks); i += 1) startNext(0);
  // Bounded: every event either finishes a call or schedules a finite number of retries.
  for (let steps = 0; steps < 50_000_000; steps += 1) {
    const event = queue.pop();
    if (!event) break;
    event.run();
  }

  const bounds = capacityBounds(input);
  return {
    stocks: input.stocks,
    concurrency: input.concurrency,
    wallMs: lastEnd,
    failed,
    requests,
    throttles,
    fallbacks,
    stockRetries,
    bounds,
    binding: bindingOf(bounds),
  };
}
