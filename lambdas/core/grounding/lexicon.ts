/**
 * The finance vocabulary the detector reads claims and sources with: line items and ratios (with
 * their synonyms and metric families), direction and sign words, basis words (reported versus
 * estimate), hedges and boosters, ratings, and the stop words that carry no content.
 */

export interface MetricEntry {
  /** Canonical id; FactSnapshot metric names where one exists. */
  id: string;
  /** Metrics of one family may be combined into derived values (margins, per-share, growth). */
  family: 'income' | 'balance' | 'cash_flow' | 'per_share' | 'ratio' | 'market' | 'estimate' | 'shares';
  phrases: string[];
  /** The unit a figure of this metric is normally stated in. */
  unit: 'usd' | 'pct' | 'x' | 'shares';
  /** A loss-named line item: a positive figure under it is a negative result. */
  negativeName?: boolean;
}

export const METRICS: MetricEntry[] = [
  {
    id: 'revenue',
    family: 'income',
    unit: 'usd',
    phrases: [
      'revenue',
      'revenues',
      'net revenue',
      'net revenues',
      'total revenue',
      'total revenues',
      'net sales',
      'total net sales',
      'sales',
      'total sales',
      'top line',
      'turnover',
    ],
  },
  { id: 'gross_profit', family: 'income', unit: 'usd', phrases: ['gross profit', 'gross income'] },
  {
    id: 'operating_income',
    family: 'income',
    unit: 'usd',
    phrases: ['operating income', 'income from operations', 'operating profit', 'operating earnings', 'ebit'],
  },
  { id: 'operating_loss', family: 'income', unit: 'usd', negativeName: true, phrases: ['operating loss', 'loss from operations'] },
  { id: 'ebitda', family: 'income', unit: 'usd', phrases: ['ebitda', 'adjusted ebitda'] },
  {
    id: 'net_income',
    family: 'income',
    unit: 'usd',
    phrases: ['net income', 'net earnings', 'net profit', 'profit', 'earnings', 'bottom line', 'net income attributable'],
  },
  { id: 'net_loss', family: 'income', unit: 'usd', negativeName: true, phrases: ['net loss', 'loss'] },
  { id: 'net_interest_income', family: 'income', unit: 'usd', phrases: ['net interest income'] },
  { id: 'cost_of_revenue', family: 'income', unit: 'usd', phrases: ['cost of revenue', 'cost of sales', 'cost of goods sold', 'cogs'] },
  { id: 'operating_expenses', family: 'income', unit: 'usd', phrases: ['operating expenses', 'opex', 'total operating expenses'] },
  { id: 'rnd', family: 'income', unit: 'usd', phrases: ['research and development', 'r&d'] },
  { id: 'sga', family: 'income', unit: 'usd', phrases: ['selling, general and administrative', 'sg&a'] },
  {
    id: 'eps_diluted',
    family: 'per_share',
    unit: 'usd',
    phrases: [
      'diluted eps',
      'diluted earnings per share',
      'eps',
      'earnings per share',
      'earnings per diluted share',
      'per diluted share',
      'a share',
      'per share',
    ],
  },
  { id: 'eps_basic', family: 'per_share', unit: 'usd', phrases: ['basic eps', 'basic earnings per share'] },
  {
    id: 'dividends_per_share',
    family: 'per_share',
    unit: 'usd',
    phrases: ['dividend', 'dividends', 'dividends per share', 'dividend per share', 'quarterly dividend'],
  },
  { id: 'gross_margin', family: 'ratio', unit: 'pct', phrases: ['gross margin', 'gross margins'] },
  { id: 'operating_margin', family: 'ratio', unit: 'pct', phrases: ['operating margin', 'operating margins', 'ebit margin'] },
  { id: 'net_margin', family: 'ratio', unit: 'pct', phrases: ['net margin', 'profit margin', 'net profit margin'] },
  { id: 'revenue_growth', family: 'ratio', unit: 'pct', phrases: ['revenue growth', 'sales growth', 'growth'] },
  {
    id: 'pe_ratio',
    family: 'ratio',
    unit: 'x',
    phrases: ['p/e', 'price-to-earnings', 'price to earnings', 'pe ratio', 'earnings multiple'],
  },
  { id: 'dividend_yield', family: 'ratio', unit: 'pct', phrases: ['dividend yield', 'yield'] },
  {
    id: 'operating_cash_flow',
    family: 'cash_flow',
    unit: 'usd',
    phrases: [
      'operating cash flow',
      'cash from operations',
      'cash provided by operating activities',
      'net cash provided by operating activities',
    ],
  },
  { id: 'free_cash_flow', family: 'cash_flow', unit: 'usd', phrases: ['free cash flow', 'fcf'] },
  { id: 'capex', family: 'cash_flow', unit: 'usd', phrases: ['capital expenditures', 'capex', 'capital spending'] },
  { id: 'buybacks', family: 'cash_flow', unit: 'usd', phrases: ['buybacks', 'share repurchases', 'repurchases'] },
  { id: 'current_assets', family: 'balance', unit: 'usd', phrases: ['current assets', 'total current assets'] },
  { id: 'current_liabilities', family: 'balance', unit: 'usd', phrases: ['current liabilities', 'total current liabilities'] },
  { id: 'current_ratio', family: 'ratio', unit: 'x', phrases: ['current ratio'] },
  {
    id: 'debt_to_assets',
    family: 'ratio',
    unit: 'x',
    phrases: [
      'debt-to-asset ratio',
      'debt to asset ratio',
      'debt-to-assets ratio',
      'liability to asset ratio',
      'liabilities to assets ratio',
      'liability-to-asset ratio',
    ],
  },
  {
    id: 'debt_to_equity',
    family: 'ratio',
    unit: 'x',
    phrases: ['debt-to-equity ratio', 'debt to equity ratio', 'debt-to-equity', 'gearing ratio'],
  },
  { id: 'return_on_equity', family: 'ratio', unit: 'pct', phrases: ['return on equity', 'roe'] },
  { id: 'return_on_assets', family: 'ratio', unit: 'pct', phrases: ['return on assets', 'roa'] },
  { id: 'total_assets', family: 'balance', unit: 'usd', phrases: ['total assets', 'assets'] },
  { id: 'total_liabilities', family: 'balance', unit: 'usd', phrases: ['total liabilities', 'liabilities'] },
  {
    id: 'stockholders_equity',
    family: 'balance',
    unit: 'usd',
    phrases: ["stockholders' equity", 'stockholders equity', "shareholders' equity", 'shareholders equity', 'equity'],
  },
  { id: 'cash', family: 'balance', unit: 'usd', phrases: ['cash', 'cash and cash equivalents', 'cash and equivalents'] },
  { id: 'debt', family: 'balance', unit: 'usd', phrases: ['debt', 'total debt', 'long-term debt', 'borrowings'] },
  { id: 'shares_outstanding', family: 'shares', unit: 'shares', phrases: ['shares outstanding', 'share count', 'diluted shares'] },
  {
    id: 'price',
    family: 'market',
    unit: 'usd',
    // A quote is a stock's level stated with any verb: "traded at", "was at", "closed at", "stood at", "ended at".
    phrases: [
      'share price',
      'stock price',
      'shares closed',
      'stock closed',
      'closed at',
      'trading at',
      'traded at',
      'shares traded at',
      'trades at',
      'stock was at',
      'stock is at',
      'shares were at',
      'shares are at',
      'stock stood at',
      'shares stood at',
      'stock ended at',
      'shares ended at',
      'stock finished at',
      'shares finished at',
      'last traded at',
      'priced at',
      'quoted at',
    ],
  },
  { id: 'market_cap', family: 'market', unit: 'usd', phrases: ['market cap', 'market capitalization', 'market value'] },
  { id: 'price_target', family: 'estimate', unit: 'usd', phrases: ['price target', 'target price', 'pt'] },
  { id: 'consensus_eps', family: 'estimate', unit: 'usd', phrases: ['consensus eps', 'eps estimate', 'consensus earnings'] },
  { id: 'consensus_revenue', family: 'estimate', unit: 'usd', phrases: ['consensus revenue', 'revenue estimate', 'consensus sales'] },
];

export const METRIC_BY_ID = new Map(METRICS.map((m) => [m.id, m]));

/** Metrics whose figures are one another's wrong line items (same statement, same unit). */
export function sameStatement(a: string, b: string): boolean {
  const ma = METRIC_BY_ID.get(a);
  const mb = METRIC_BY_ID.get(b);
  return !!ma && !!mb && ma.unit === mb.unit && (ma.family === mb.family || (ma.family === 'income' && mb.family === 'cash_flow'));
}

/** Aliases a fact snapshot's metric names read as. */
export const SNAPSHOT_METRIC_IDS: Record<string, string> = { consensus_eps: 'consensus_eps', consensus_revenue: 'consensus_revenue' };

export interface MetricMention {
  id: string;
  start: number;
  end: number;
}

// Longest phrase first so "net interest income" wins over "net income" and "income".
const PHRASES = METRICS.flatMap((m) => m.phrases.map((p) => ({ id: m.id, phrase: p }))).sort((a, b) => b.phrase.length - a.phrase.length);
const PHRASE_RE = new RegExp(
  String.raw`(?<![\w&])(?:${PHRASES.map((p) => p.phrase.replace(/[.*+?^${}()|[\]\\/&']/g, (c) => (c === "'" ? "'?" : `\\${c}`))).join('|')})(?![\w&])`,
  'gi',
);

// Phrases by first word, longest first: a word scan is several times cheaper than one regex of ~200 alternatives.
const WORD_RE = /[a-z0-9&\/'’-]+/g;
const normWord = (w: string) => w.replace(/['’]/g, '');
const BY_FIRST = new Map<string, Array<{ id: string; words: string[] }>>();
for (const { id, phrase } of PHRASES) {
  const words = phrase
    .split(/[\s,]+/)
    .map(normWord)
    .filter(Boolean);
  const list = BY_FIRST.get(words[0]!) ?? BY_FIRST.set(words[0]!, []).get(words[0]!)!;
  list.push({ id, words });
}
for (const list of BY_FIRST.values()) list.sort((a, b) => b.words.length - a.words.length);

const METRIC_CACHE = new Map<string, MetricMention[]>();

/** Metric phrases in a text, longest match first, left to right. Short texts are cached: do not mutate the result. */
export function findMetrics(text: string): MetricMention[] {
  if (text.length > 80) return scanMetrics(text);
  let hit = METRIC_CACHE.get(text);
  if (!hit) {
    if (METRIC_CACHE.size > 20_000) METRIC_CACHE.clear();
    METRIC_CACHE.set(text, (hit = scanMetrics(text)));
  }
  return hit;
}

/**
 * Balance-sheet words name the company's total only unqualified: "assets of $5B", "total assets";
 * "deferred tax assets", "plan assets", "net debt", "cash used in investing activities" are other lines.
 */
const QUALIFIABLE = new Set(['assets', 'asset', 'liabilities', 'liability', 'equity', 'cash', 'debt', 'loss', 'losses']);
const NOT_QUALIFIERS = new Set([
  'total',
  'the',
  'its',
  'our',
  'their',
  'his',
  'her',
  'and',
  'of',
  'in',
  'on',
  'with',
  'to',
  'for',
  'at',
  'was',
  'were',
  'had',
  'has',
  'have',
  'reported',
  'consolidated',
  'a',
  'an',
  'company',
  "company's",
  'group',
  "group's",
  'as',
  'by',
  'from',
  'than',
]);
const CASH_FLOW_NEXT = new Set([
  'provided',
  'used',
  'from',
  'generated',
  'flow',
  'flows',
  'paid',
  'received',
  'outflow',
  'outflows',
  'inflow',
  'inflows',
]);

function qualifiedElsewhere(words: Array<{ w: string }>, i: number): boolean {
  const w = words[i]!.w;
  if (!QUALIFIABLE.has(w)) return false;
  if (w === 'cash' && CASH_FLOW_NEXT.has(words[i + 1]?.w ?? '')) return true;
  const before = words[i - 1]?.w;
  return before !== undefined && /^[a-z][a-z'-]*$/.test(before) && !NOT_QUALIFIERS.has(before);
}

function scanMetrics(text: string): MetricMention[] {
  const out: MetricMention[] = [];
  const lower = text.toLowerCase();
  const words: Array<{ w: string; start: number; end: number }> = [];
  for (const m of lower.matchAll(WORD_RE)) {
    // Trailing punctuation and hyphens are not part of a word ("sales." "sales-").
    const raw = m[0].replace(/[.\-]+$/, '');
    if (raw) words.push({ w: normWord(raw), start: m.index!, end: m.index! + raw.length });
  }
  for (let i = 0; i < words.length; i++) {
    const list = BY_FIRST.get(words[i]!.w);
    if (!list) continue;
    for (const { id, words: pw } of list) {
      if (i + pw.length > words.length) continue;
      let ok = true;
      for (let k = 1; k < pw.length; k++)
        if (words[i + k]!.w !== pw[k]) {
          ok = false;
          break;
        }
      if (!ok) continue;
      if (pw.length === 1 && qualifiedElsewhere(words, i)) continue;
      out.push({ id, start: words[i]!.start, end: words[i + pw.length - 1]!.end });
      i += pw.length - 1;
      break;
    }
  }
  return out;
}

/** The regex form, kept for callers that need a single pattern over the lexicon. */
export const METRIC_PHRASE_RE = PHRASE_RE;

export type Direction = 'up' | 'down';

/** Direction and sign words, each with the direction it states. */
export const DIRECTION_RE =
  /\b(increased|increase|increases|increasing|rose|rise|rises|rising|grew|grow|grows|growth|gained|gain|up|higher|climbed|jumped|surged|improved|expanded|beat|beats|exceeded|topped|doubled|tripled|decreased|decrease|decreases|decreasing|fell|fall|falls|falling|declined|decline|declines|declining|dropped|drop|down|lower|slipped|shrank|contracted|missed|miss|reduced|reduction|plunged|tumbled|halved)\b/gi;
const DOWN_WORDS = new Set([
  'decreased',
  'decrease',
  'decreases',
  'decreasing',
  'fell',
  'fall',
  'falls',
  'falling',
  'declined',
  'decline',
  'declines',
  'declining',
  'dropped',
  'drop',
  'down',
  'lower',
  'slipped',
  'shrank',
  'contracted',
  'missed',
  'miss',
  'reduced',
  'reduction',
  'plunged',
  'tumbled',
  'halved',
]);

export function directionOf(word: string): Direction {
  return DOWN_WORDS.has(word.toLowerCase()) ? 'down' : 'up';
}

/** Loss and profit words: they set the sign of the figure they name. */
export const LOSS_RE = /\b(loss|losses|deficit|negative|shortfall)\b/i;
export const PROFIT_RE = /\b(profit|profitable|income|earnings|surplus|gain)\b/i;

/** Words that make a figure an estimate, not a reported value. */
export const ESTIMATE_RE =
  /\b(expect(?:s|ed|ing)?|estimate[sd]?|consensus|guidance|guides?|guided|forecasts?|forecasted|projects?|projected|projections?|outlook|anticipate[sd]?|analysts?\s+(?:expect|see|forecast|estimate)|will|would|should|target(?:s|ed)?\s+(?:of\s+)?(?=\$)|street|forward|ntm|implied)\b/i;
/** In sources, only explicit forecast words make a figure an estimate ("will" and "would" are too common in filings). */
export const SOURCE_ESTIMATE_RE =
  /\b(consensus|guidance|guides?|guided|forecasts?|outlook|analysts?\s+(?:expect|see|forecast|estimate)|price target|target price|street estimates?)\b/i;
export const CONSENSUS_RE =
  /\b(consensus|street|analysts?'?,?\s+(?:on average,?\s+|in aggregate,?\s+)?(?:expect|estimate|forecast|average|see))/i;
export const CURRENT_RE = /\b(currently|now stands?|latest|most recent|today|as of today|at present)\b/i;

export const HEDGE_RE =
  /\b(may|might|could|appears?|seems?|likely|possibly|perhaps|approximately|roughly|about|around|nearly|almost|estimated|suggests?|reportedly|we believe|potentially|somewhat|some)\b/gi;
export const BOOSTER_RE =
  /\b(certainly|definitely|clearly|undoubtedly|guaranteed?|always|never|will certainly|without doubt|surely|obviously|assured|record|all-time|best ever|unprecedented|exactly|precisely|fully)\b/gi;

export const NEGATION_RE =
  /\b(not|no|never|none|neither|nor|without|n't|cannot|didn't|doesn't|won't|wasn't|isn't|aren't|failed to|declined to)\b/i;

export type Rating = 'buy' | 'hold' | 'sell';
const RATING_WORDS: Record<string, Rating> = {
  buy: 'buy',
  'strong buy': 'buy',
  outperform: 'buy',
  overweight: 'buy',
  accumulate: 'buy',
  positive: 'buy',
  'sector outperform': 'buy',
  'market outperform': 'buy',
  add: 'buy',
  hold: 'hold',
  neutral: 'hold',
  'equal weight': 'hold',
  'equal-weight': 'hold',
  'market perform': 'hold',
  'sector perform': 'hold',
  'in-line': 'hold',
  'peer perform': 'hold',
  sell: 'sell',
  underperform: 'sell',
  underweight: 'sell',
  reduce: 'sell',
  'strong sell': 'sell',
  negative: 'sell',
};
export const RATING_RE = new RegExp(
  String.raw`\b(${Object.keys(RATING_WORDS)
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/-/g, '\\-'))
    .join('|')})\b`,
  'gi',
);
export function ratingOf(word: string): Rating | undefined {
  return RATING_WORDS[word.toLowerCase()];
}
/** A rating word only means a rating near rating verbs ("rates … Buy", "a Buy rating", "upgraded to Overweight"). */
export const RATING_CONTEXT_RE =
  /\b(rat(?:es|ed|ing|ings)|upgrade[sd]?|downgrade[sd]?|initiat(?:es|ed)|reiterat(?:es|ed)|maintain(?:s|ed)?|coverage|recommend(?:s|ation)?|(?:cut|raised?|moved?|lifted|lowered)\s+(?:\w+\s+)?to)\b/i;

export const STOP_WORDS = new Set(
  (
    'a an the and or of in on at to for from by with as is are was were be been being it its this that these those ' +
    'which who whom what when where how than then so such into over under about per vs versus also has have had ' +
    'their they them our we us his her he she not no but if while during within between both each all any more most ' +
    'up down year years fiscal quarter quarters period periods ended ending end amount amounts value values ' +
    'change changes changed percentage percent difference average compared compare prior previous respectively ' +
    "increase increased decrease decreased rose fell grew reported company company's companys share shares million billion thousand " +
    'first second third fourth last next same was is were did does do done one two three fy q1 q2 q3 q4 jan feb mar apr may jun jul aug sep sept oct nov dec ' +
    'january february march april june july august september october november december'
  ).split(/\s+/),
);

/** Words a claim may use without their being a line item: counted neither for nor against a label. */
export const GENERIC_WORDS = new Set([
  'net',
  'cost',
  'costs',
  'income',
  'expense',
  'expenses',
  'other',
  'related',
  'based',
  'rate',
  'ratio',
]);

/** Light stemming: plurals and possessives, so "sales"/"sale" and "company's"/"company" agree. */
export function stem(word: string): string {
  let w = word.replace(/'s?$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  return w;
}

/** Content tokens of a text: lower-cased, stemmed, stop words and numerals dropped. */
const SPLIT_RE = /[^a-z0-9&'-]+/;
const STEM_CACHE = new Map<string, string>();

export function contentTokens(text: string): string[] {
  const out: string[] = [];
  // split + a small stem cache: this runs over every source sentence, so it is kept cheap.
  for (const raw of text.toLowerCase().split(SPLIT_RE)) {
    if (raw.length < 2) continue;
    const c0 = raw.charCodeAt(0);
    let w = raw;
    if (c0 < 97 || c0 > 122) {
      const m = /[a-z][a-z0-9&'-]*/.exec(raw);
      if (!m) continue;
      w = m[0];
    }
    if (w.charCodeAt(w.length - 1) === 45) w = w.replace(/-+$/, '');
    if (w.length < 2 || STOP_WORDS.has(w)) continue;
    let st = STEM_CACHE.get(w);
    if (st === undefined) {
      st = stem(w);
      if (STEM_CACHE.size < 50_000) STEM_CACHE.set(w, st);
    }
    out.push(st);
  }
  return out;
}

/** Words in a clause that never name a line item: units, periods, basis and hedge words. */
export const NON_LABEL_RE =
  /^(?:doubled|tripled|halved|quadrupled|cent|percent|pct|bp|bps|basi|point|dollar|usd|fy\d*|q[1-4]|h[12]|analyst|expect|expected|estimate|estimated|consensus|guidance|forecast|projected|outlook|approximately|roughly|nearly|around|almost|just|over|under|some|reached|totaled|came|stood|compared|billion|million|thousand|bn|mn|while|whereas|respectively|rate|rated|rating|quarterly|annual|yoy|sequentially|stock|reach|fiscal)$/;

/**
 * Promissory language (FINRA Rule 2210 forbids promising or predicting gains): a stated future
 * rise of the shares, a guarantee of returns, or advice to buy or sell. Not a question of sources:
 * no source can make such a sentence right in a brief.
 */
export const PROMISSORY_RE = new RegExp(
  [
    String.raw`\b(?:will|shall|is going to|are going to|is set to|are set to|is bound to|are bound to|is sure to|are sure to|is certain to|are certain to|cannot fail to|can(?:'|no)?t fail to)\s+(?:definitely\s+|certainly\s+|surely\s+|undoubtedly\s+|clearly\s+|only\s+)?(?:keep\s+|continue\s+(?:to\s+)?)?(?:ris(?:e|ing)|rally(?:ing)?|climb(?:ing)?|soar(?:ing)?|surg(?:e|ing)|jump(?:ing)?|doubl(?:e|ing)|tripl(?:e|ing)|outperform(?:ing)?|beat(?:ing)? the market|go(?:ing)? up|go(?:ing)? higher|mov(?:e|ing) higher|increas(?:e|ing) in value|appreciat(?:e|ing)|gain(?:ing)?|recover(?:ing)?|rebound(?:ing)?|pay(?:ing)? off|mak(?:e|ing) money|deliver(?:ing)? (?:strong |high |great |outsized )?(?:returns|gains))\b`,
    String.raw`\bguarantee[sd]?\s+(?:\w+\s+){0,2}(?:gains?|returns?|profits?|upside|appreciation|income)\b`,
    String.raw`\bguaranteed\s+(?:to\s+)?(?:gains?|returns?|profits?|upside|rise|double|win)\b`,
    String.raw`\b(?:risk[- ]free(?!\s+(?:interest\s+)?(?:rates?|yields?|assets?|bonds?|securities|treasur\w*|instruments?))|can(?:'|no)?t lose|can(?:'|no)?t go wrong|sure (?:thing|bet)|no[- ]brainer|money[- ]maker)\b`,
    String.raw`\b(?:the )?(?:stock|shares?|it|this name)\s+(?:is|are|remains?|looks? like)\s+(?:an?\s+)?(?:strong\s+|clear\s+|screaming\s+|must\s+)?(?:buy|must[- ]own|bargain|steal)\b(?![- ](?:rating|recommendation))`,
    String.raw`\b(?:you|your clients?|investors?|advisors?|clients?|holders?|shareholders?|one)\s+(?:should|must|ought to|need to)\s+(?:buy|sell|add|accumulate|load up|own|dump|short|avoid|trim|exit|hold|reduce|increase|double down)\b`,
    String.raw`\b(?:we|i)\s+(?:recommend|suggest|advise|urge)\s+(?:buying|selling|adding|accumulating|trimming|holding|avoiding|exiting|reducing|(?:that\s+)?(?:you|clients|investors|your clients|advisors)\s+(?:buy|sell|add|accumulate|trim|hold|avoid|exit|reduce))\b`,
    String.raw`(?<!\brat(?:es|ed|ing)\s+(?:the stock|the shares|it)\s+)\b(?:an?\s+)?(?:strong|screaming|clear)\s+(?:buy|sell)\b(?![- ](?:rating|recommendation))`,
    String.raw`\b(?:gains?|returns?|profits?|upside|income)\s+(?:\w+\s+){0,3}(?:are|is)\s+(?:assured|guaranteed|certain|locked in|a sure thing)\b`,
    String.raw`\b(?:assured|certain|locked[- ]in)\s+(?:gains?|returns?|profits?|upside)\b`,
    // A forecast of the share price itself, whatever the modal: "should easily double", "expect the shares to rally".
    String.raw`\b(?:the\s+)?(?:stock|shares?|share price|price|position|it)\s+(?:should|could|would|may|might|is (?:likely|poised|expected) to|are (?:likely|poised|expected) to)\s+(?:\w+\s+){0,2}(?:double|triple|rally|soar|surge|climb|rise|jump|outperform|pay (?:off|for itself)|deliver (?:\w+\s+)?(?:gains|returns))\b`,
    String.raw`\bexpect(?:s|ed)?\s+(?:the\s+)?(?:stock|shares?|share price|price)\s+to\s+(?:\w+\s+){0,2}(?:double|triple|rally|soar|surge|climb|rise|jump|outperform|beat the market)\b`,
    String.raw`\b(?:upside|gains?|returns?|profits?|appreciation)\b[^.]{0,30}?\b(?:virtually |almost |all but |practically )?(?:certain|assured|guaranteed|inevitable|a lock|locked in)\b`,
    String.raw`\b(?:will|should) pay for itself\b|\bnowhere to go but up\b|\b(?:can|could) count on (?:the )?(?:price|stock|shares?)\b`,
    // Advice to trade in other words: "now is the time to load up", "consider selling", "get out of the stock".
    String.raw`\b(?:now is the |it is )?time to (?:buy|sell|load up|add|accumulate|take profits|get out|exit|trim)\b`,
    String.raw`\b(?:get(?:ting)? out of|bail(?:ing)? out of|dump(?:ing)?)\s+(?:the\s+|this\s+)?(?:stock|shares|position|name)\b|\bload(?:ing|s)? up\b`,
    String.raw`\b(?:move|shift|put)\s+(?:new |more |fresh |client |your )?(?:money|assets|funds|cash)\s+(?:out of|into|in)\s+(?:the |this )?(?:stock|shares|name|position)\b`,
    String.raw`\b(?:reliable|steady|assured|guaranteed|certain|easy)\s+(?:profits?|gains?|returns?)\s+ahead\b|\blooks? like a (?:lock|sure thing|safe bet)\b`,
    String.raw`\b(?:consider|think about|would do well to|may want to|might want to|would be wise to)\s+(?:buy(?:ing)?|sell(?:ing)?|add(?:ing)?|trim(?:ming)?|exit(?:ing)?|reduc(?:e|ing)|accumulat(?:e|ing)|load(?:ing)? up)\b`,
    String.raw`\b(?:buy|sell|grab|add) (?:it|the stock|the shares|now) (?:now|today|before)\b`,
  ].join('|'),
  'i',
);

/**
 * Superlatives that claim a standing no single period's figure shows ("a record $3.5 billion",
 * "an all-time high", "the best quarter in its history"): they need a source that says so.
 */
export const SUPERLATIVE_RE =
  /\b(?:(?:a|an|its|their|the|new|another)\s+record\b(?![- ](?:date|holders?|of|keeping)\b)|record[- ](?:(?:net|operating|free|gross|adjusted)\s+)?(?:cash flows?|high|low|breaking|setting|levels?|results?|revenues?|sales|earnings|profits?|income|quarters?|years?|margins?|growth|orders|backlog|volumes?)\b|all[- ]time (?:high|low|best)|best[- ]ever|highest[- ]ever|lowest[- ]ever|strongest[- ]ever|unprecedented|(?:highest|lowest|largest|biggest|strongest|best|worst) (?:\w+ ){0,2}(?:ever|on record|in (?:the company['’]s |its |company |their )?(?:history|industry|sector))|best[- ]in[- ](?:class|industry)|(?:a|an)\s+(?:company|all[- ]time|new|industry|sector)\s+record|leading (?:the|its) (?:sector|industry|peers)|the (?:best|highest|strongest|lowest|worst) in (?:a|two|three|four|five|ten|\d+) (?:decades?|years?)|never (?:been )?seen before|(?:an?\s+)(?:industry|sector|company)[- ](?:best|high)|(?:tops|first|best) (?:among|in) its (?:peers|sector|industry)|industry[- ]leading|(?:outpac\w*|beat\w*|ahead of|better than) (?:every|all|each) (?:\w+ ){0,2}(?:peers?|rivals?|competitors?))\b/i;

export type Stance = 'positive' | 'neutral' | 'negative';

/**
 * An analyst's stance in broker language: research notes say what their ratings mean in words
 * ("we stay constructive", "we remain on the sidelines", "we remain cautious", "upside", "priced in").
 */
const STANCE_CUES: Record<Stance, RegExp> = {
  positive:
    /\b(?:constructive|bullish|upside|undervalued|underappreciated|under-appreciated|attractive(?:ly valued)?|compelling|durable|strength|strong|runway|tailwinds?|outperform\w*|upgrad\w*|too conservative|room for (?:capital )?returns|expansion|accelerat\w*|beat|raise[sd]?|positive|favou?rable|optimistic|cheap)\b/gi,
  neutral:
    /\b(?:sidelines?|fairly valued|reasonably valued|fully valued|balanced|priced in|wait(?:ing)?(?:-and-see)?|neutral|in line|in-line|equal[- ]weight|market[- ]perform|hold|unchanged view|mixed)\b/gi,
  negative:
    /\b(?:cautious|bearish|downside|overvalued|expensive|risks?|pressure|too high|headwinds?|deteriorat\w*|downgrad\w*|weak\w*|soft(?:ens|ening|er)?|little room for error|concerns?|negative|pessimistic|underperform\w*|stretched)\b/gi,
};

/** Counts of stance cues in a text. */
export function stanceCues(text: string): Record<Stance, number> {
  const out = { positive: 0, neutral: 0, negative: 0 };
  for (const stance of ['positive', 'neutral', 'negative'] as const) {
    const re = STANCE_CUES[stance];
    re.lastIndex = 0;
    out[stance] = (text.match(re) ?? []).length;
  }
  return out;
}

/** The stance a rating states: buy-side ratings are positive, hold-side neutral, sell-side negative. */
export function stanceOfRating(rating: Rating): Stance {
  return rating === 'buy' ? 'positive' : rating === 'sell' ? 'negative' : 'neutral';
}
