/**
 * The load test's traffic: a realistic mix of FA requests, deterministic for a seed. Stocks are
 * asked about with Zipf-like popularity (a few names draw most questions, as after earnings), by
 * symbol or by company name; most questions are simple, some deep (comparisons, "why"), some are
 * follow-ups in a running conversation, a few carry client PII that must be redacted, and a few
 * read a stored brief. Each request comes from one of many FAs; a follow-up is only sent once its
 * conversation's previous answer has arrived, as a person would.
 */

export interface MixTicker {
  ticker: string;
  name: string;
}

export type PlannedKind = 'simple' | 'deep' | 'follow_up' | 'pii' | 'summary';

export interface PlannedRequest {
  kind: PlannedKind;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** Index of the FA (and API key) sending it. */
  fa: number;
  /** The conversation this request belongs to, if any (report its completion with `completed`). */
  conversation?: number;
}

export const MIX_SHARES: Record<PlannedKind, number> = { simple: 0.6, deep: 0.18, follow_up: 0.12, pii: 0.04, summary: 0.06 };

const SIMPLE = [
  'What was {t} revenue last quarter?',
  'How profitable is {t}?',
  'What do analysts say about {t}?',
  'What is the price target for {t}?',
  'Where is {t} trading and what is its market value?',
  'What is consensus EPS for {t} next year?',
  'Any recent news on {t}?',
  'What are the main risks for {t}?',
  'Give me a quick overview of {t}',
  'How much cash does {t} have?',
  'How did {t} do last fiscal year?',
  '{t} valuation?',
  'Summarize {t} for a client meeting',
  'What is the latest quarterly EPS for {t}?',
  'What does {t} do?',
];

const DEEP_ONE = [
  "What drove {t}'s most recent quarter?",
  'Why did {t} margins change last year?',
  'Explain the bull and bear case for {t}',
  "How sustainable is {t}'s profitability?",
];

const DEEP_TWO = ['Compare {a} and {b} on growth and margins', '{a} vs {b}: valuation and analyst views', 'Compare {a} and {b} earnings'];

/**
 * Free-form questions are rarely word-for-word repeats: most simple questions get one of these
 * additions, so only the canned ones (the buttons an FA tool offers) can repeat exactly.
 */
const PHRASINGS = [
  '',
  ' Keep it brief.',
  ' I have a client meeting in an hour.',
  ' Please cite the filings.',
  ' What should I know first?',
  ' Two or three sentences, please.',
  ' Thanks!',
  ' Asking for a review call.',
  ' Use the latest numbers.',
  ' Quick one.',
];

const OPENINGS = [
  '',
  'Hi, ',
  'Quick question: ',
  'Before my call, ',
  'Hello. ',
  'Client asked me this: ',
  'Need help: ',
  'Morning! ',
  'For a prospect: ',
  'Can you check: ',
];

/** Share of simple questions asked exactly as an FA tool's canned button would ask them. */
export const CANNED_SHARE = 0.4;

const FOLLOW_UPS = [
  'And what about its margins?',
  'What do analysts think?',
  'Any risks I should know about?',
  'What is the consensus for next year?',
  'How is it valued?',
];

const PII_PREFIXES = [
  'My client (account number 40012345678) asks: ',
  'Client jane.roe@example.com wants to know: ',
  'For the client at (415) 555-0132: ',
  'Client SSN 123-45-6789. ',
];

/** mulberry32: small, fast, good enough for traffic generation. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Conversation {
  fa: number;
  sessionId: string;
  busy: boolean;
  ready: boolean;
}

export class QuestionMix {
  private readonly random: () => number;
  private readonly cumulative: number[];
  private readonly conversations: Conversation[] = [];
  readonly counts: Record<PlannedKind, number> = { simple: 0, deep: 0, follow_up: 0, pii: 0, summary: 0 };

  constructor(
    private readonly tickers: readonly MixTicker[],
    private readonly fas: number,
    seed = 1,
  ) {
    if (tickers.length === 0) throw new RangeError('the question mix needs at least one covered ticker');
    if (fas < 1) throw new RangeError('the question mix needs at least one FA');
    this.random = rng(seed);
    // Zipf (s = 1) popularity by rank.
    let total = 0;
    this.cumulative = tickers.map((_, rank) => (total += 1 / (rank + 1)));
    this.cumulative = this.cumulative.map((c) => c / total);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  private popularTicker(): MixTicker {
    const r = this.random();
    const index = this.cumulative.findIndex((c) => r <= c);
    return this.tickers[index < 0 ? this.tickers.length - 1 : index]!;
  }

  /** Symbol most of the time, the company's distinctive first word otherwise. */
  private mention(ticker: MixTicker): string {
    return this.random() < 0.7 ? ticker.ticker : ticker.name.split(/\s+/)[0]!;
  }

  private kind(): PlannedKind {
    let r = this.random();
    for (const [kind, share] of Object.entries(MIX_SHARES) as Array<[PlannedKind, number]>) {
      if ((r -= share) < 0) return kind;
    }
    return 'simple';
  }

  private query(question: string, fa: number, kind: PlannedKind, sessionId?: string, conversation?: number): PlannedRequest {
    this.counts[kind] += 1;
    return {
      kind,
      method: 'POST',
      path: '/v1/query',
      body: JSON.stringify(sessionId ? { question, sessionId } : { question }),
      fa,
      ...(conversation !== undefined ? { conversation } : {}),
    };
  }

  /** The next request to send. */
  next(): PlannedRequest {
    const fa = Math.floor(this.random() * this.fas);
    let kind = this.kind();
    if (kind === 'follow_up') {
      const ready = this.conversations.filter((c) => c.ready && !c.busy);
      if (ready.length > 0) {
        const conversation = this.pick(ready);
        conversation.busy = true;
        return this.query(
          this.pick(FOLLOW_UPS),
          conversation.fa,
          'follow_up',
          conversation.sessionId,
          this.conversations.indexOf(conversation),
        );
      }
      kind = 'simple';
    }
    if (kind === 'summary') {
      this.counts.summary += 1;
      return {
        kind,
        method: 'GET',
        path: `/v1/stocks/${this.popularTicker().ticker}/summary?length=${this.pick(['hook', 'medium', 'expanded'])}`,
        fa,
      };
    }
    if (kind === 'deep') {
      if (this.random() < 0.5 && this.tickers.length > 1) {
        const a = this.popularTicker();
        let b = this.popularTicker();
        for (let i = 0; b.ticker === a.ticker && i < 10; i += 1) b = this.popularTicker();
        if (b.ticker !== a.ticker)
          return this.query(this.pick(DEEP_TWO).replace('{a}', this.mention(a)).replace('{b}', this.mention(b)), fa, 'deep');
      }
      return this.query(this.pick(DEEP_ONE).replace('{t}', this.mention(this.popularTicker())), fa, 'deep');
    }
    const base = this.pick(SIMPLE).replace('{t}', this.mention(this.popularTicker()));
    const question = this.random() < CANNED_SHARE ? base : `${this.pick(OPENINGS)}${base}${this.pick(PHRASINGS)}`;
    if (kind === 'pii') return this.query(`${this.pick(PII_PREFIXES)}${question}`, fa, 'pii');
    // A third of simple questions open a conversation that may get follow-ups.
    if (this.random() < 0.33) {
      const conversation: Conversation = { fa, sessionId: `load-${this.conversations.length}-${fa}`, busy: true, ready: false };
      this.conversations.push(conversation);
      return this.query(question, fa, 'simple', conversation.sessionId, this.conversations.length - 1);
    }
    return this.query(question, fa, 'simple');
  }

  /** Report that a conversation's request finished; only answered conversations get follow-ups. */
  completed(conversation: number, answered: boolean): void {
    const c = this.conversations[conversation];
    if (!c) return;
    c.busy = false;
    c.ready ||= answered;
  }
}
