/**
 * The fictional companies: profiles (name, ticker, CIK, sector, industry, fiscal year end), the
 * static traits that drive their numbers and event rates, and the hard cases planted on them.
 *
 * Names and tickers come from a stream keyed by (seed, position); everything else about a
 * company comes from a stream keyed by (seed, ticker), so a company's data never depends on
 * which other companies exist.
 *
 * Tickers: an initial followed by Q or J (`KQRV`, `HJLN`). No listed US ticker opens with these
 * letter pairs (checked against the SEC ticker list in test/shared-data/demo-tickers.test.ts), so
 * a fictional ticker can never be mistaken for a real company's.
 */
import type { CompanyProfile, GicsSector } from '../../../core/model';
import { GICS_SECTORS } from '../../../core/model';
import { hashString, mix, Rng, unit } from './random';
import {
  BROKERS,
  CORPORATE_SUFFIXES,
  HEADQUARTERS,
  NAME_ENDINGS,
  NAME_MIDDLES,
  NAME_OPENINGS,
  SECTOR_PROFILES,
  SECTOR_WEIGHTS,
} from './vocabulary';
import type { IndustryProfile, SectorProfile } from './vocabulary';

/** The hard cases the demo plants on purpose (docs/DESIGN.md §3), each on a deterministic minority of stocks. */
export const DEMO_HARD_CASES = [
  /** Vendor diluted EPS for the last fiscal year differs from the EPS filed in the 10-K (vendor reports an adjusted figure). */
  'vendor_eps_mismatch',
  /** A prior fiscal year's revenue and net income are restated (by a 10-K/A or in the next 10-K); both values are in companyfacts. */
  'restatement',
  /** No sell-side coverage: the research port returns no notes. */
  'no_research_coverage',
  /** The vendor has no record: the fundamentals port returns undefined. */
  'no_fundamentals',
  /** The fundamentals port throws SourceUnavailableError on some dates (see `sourceOutages`). */
  'fundamentals_outage',
  /** The news port throws SourceUnavailableError on some dates (see `sourceOutages`). */
  'news_outage',
  /** The vendor record lags by four to six weeks. */
  'stale_fundamentals',
  /** Coverage stopped in 2024: the newest note is more than 180 days old at any as-of from 2025 on. */
  'stale_research',
  /** The company loses money: negative net income and EPS in every period. */
  'negative_earnings',
  /** The fiscal year ends in a month that is not a calendar quarter end or January (Feb, Apr, May, Jul, Aug, Oct, Nov). */
  'odd_fiscal_year_end',
  /** The vendor reports monetary figures in thousands, not millions. */
  'vendor_scale_thousands',
  /** Annual revenue of $100 billion or more. */
  'huge_numbers',
  /** Annual revenue of $60 million or less. */
  'tiny_numbers',
] as const;
export type DemoHardCase = (typeof DEMO_HARD_CASES)[number];

export interface CompanyTraits {
  bank: boolean;
  reportsGrossProfit: boolean;
  reportsOperatingIncome: boolean;
  revenueConcept: 'Revenues' | 'RevenueFromContractWithCustomerExcludingAssessedTax' | 'RevenuesNetOfInterestExpense';
  /** XBRL values are rounded to this (thousands for most, millions for the largest filers). */
  reportingUnit: 1_000 | 1_000_000;
  /** Annual revenue in USD around mid-2024. */
  revenueBase: number;
  growth: number;
  cycleAmplitude: number;
  cycleYears: number;
  cyclePhase: number;
  /** Quarterly revenue weights (fiscal Q1..Q4), summing to 4. */
  seasonality: readonly [number, number, number, number];
  grossMargin: number;
  operatingMargin: number;
  interestBurden: number;
  taxRate: number;
  /** Banks: share of net revenue that is net interest income, interest income per unit of it, provisions and costs per unit of revenue. */
  netInterestShare: number;
  interestIncomeMultiple: number;
  provisionRate: number;
  efficiencyRatio: number;
  assetsToRevenue: number;
  liabilitiesToAssets: number;
  cashToAssets: number;
  depreciationRate: number;
  /** Shares outstanding around mid-2024, their yearly drift and the dilution from options. */
  sharesBase: number;
  shareDrift: number;
  dilution: number;
  /** Quarterly dividend per share declared in fiscal 2024 and its yearly raise; undefined for non-payers. */
  dividend: { quarterly: number; growth: number } | undefined;
  /** Share price around mid-2024, drift per year, and the amplitude of its swings. */
  priceBase: number;
  priceDrift: number;
  priceSwing: number;
  /** Days after period end: 10-Q and 10-K. */
  lag10Q: number;
  lag10K: number;
  /** Probability of a news item (other than an earnings release) on a business day. */
  newsRate: number;
  /** Probability of a research note on a business day (covered stocks only). */
  noteRate: number;
  /** Brokers covering the stock (indexes into BROKERS); empty without coverage. */
  brokers: readonly number[];
  /** Broker stance: −1 bearish … +1 bullish. */
  stance: number;
  /** Restated fiscal years are those with `fy % 2 === restatementParity`; how, and by how much. */
  restatement: { parity: number; via: 'amendment' | 'comparative'; revenueChange: number } | undefined;
  /** Vendor EPS multiplier for the EPS-mismatch case (adjusted EPS). */
  vendorEpsAdjustment: number;
  founded: number;
  headquarters: string;
  employeesPerMillionRevenue: number;
  segments: readonly string[];
  offering: string;
  customers: readonly string[];
}

export interface DemoCompany {
  index: number;
  profile: CompanyProfile;
  /** Stream key for everything about this company: hash of (seed, ticker). */
  key: number;
  sectorProfile: SectorProfile;
  industryProfile: IndustryProfile;
  hardCases: ReadonlySet<DemoHardCase>;
  traits: CompanyTraits;
}

/** The opening letter pairs tickers may use: no listed US ticker starts with any of them. */
const TICKER_OPENINGS: ReadonlyMap<string, readonly string[]> = new Map([
  ['F', ['Q']],
  ['G', ['Q']],
  ['H', ['J']],
  ['K', ['Q', 'J']],
  ['L', ['J']],
  ['O', ['Q', 'J']],
  ['P', ['Q']],
  ['U', ['Q', 'J']],
  ['V', ['J']],
  ['W', ['Q', 'J']],
  ['X', ['Q']],
  ['Z', ['Q']],
]);

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

/** Vowel pairs that read naturally in an English-looking name; any other pair is rejected. */
const VOWEL_PAIRS = new Set(['ia', 'io', 'ei', 'ai', 'eo', 'ea', 'ya', 'yo', 'ye', 'ey', 'ay', 'oy']);
const DOUBLE_CONSONANTS = new Set(['ll', 'nn', 'rr', 'ss', 'tt']);

function readable(stem: string): boolean {
  const lower = stem.toLowerCase();
  let vowels = 0;
  let consonants = 0;
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    if (VOWELS.has(ch)) {
      vowels++;
      consonants = 0;
      if (vowels === 2 && !VOWEL_PAIRS.has(lower.slice(i - 1, i + 1))) return false;
    } else {
      consonants++;
      vowels = 0;
      if (consonants === 2 && lower[i - 1] === ch && !DOUBLE_CONSONANTS.has(ch + ch)) return false;
    }
    if (vowels >= 3 || consonants >= 3) return false;
  }
  return stem.length >= 6 && stem.length <= 11;
}

function nameStem(rng: Rng): string {
  const initial = rng.pick([...NAME_OPENINGS.keys()]);
  for (;;) {
    const opening = rng.pick(NAME_OPENINGS.get(initial)!);
    // Always three parts: two-part stems (Hal+eon, Xer+is) too often spell real names.
    const middle = rng.pick(NAME_MIDDLES);
    const ending = rng.pick(NAME_ENDINGS);
    const stem = opening + middle + ending;
    if (readable(stem)) return stem;
  }
}

/**
 * Ticker candidates for a name, best first: the initial, the reserved second letter, then one to
 * three distinct consonants of the name in order (`Korvenix` → `KQRV`), padded with other letters
 * when the name runs short. Five-letter tickers never end in X (that reads as a mutual fund).
 */
function tickerCandidates(stem: string, rng: Rng): string[] {
  const initial = stem[0]!.toUpperCase();
  const seconds = TICKER_OPENINGS.get(initial)!;
  const consonants = [
    ...new Set(
      stem
        .slice(1)
        .toUpperCase()
        .replace(/[AEIOUY]/g, ''),
    ),
  ];
  const filler = [...'BCDFGHKLMNPRSTVWZ'];
  const out: string[] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    const second = rng.pick(seconds);
    const length = rng.weighted([
      [3, 2],
      [4, 6],
      [5, 2],
    ] as const);
    const wanted = length - 2;
    const fromName =
      attempt < 10
        ? rng
            .sample([...consonants.keys()], Math.min(wanted, consonants.length))
            .sort((x, y) => x - y)
            .map((i) => consonants[i]!)
        : [];
    const tail = [...fromName];
    while (tail.length < wanted) {
      const letter = rng.pick(filler);
      if (!tail.includes(letter) && letter !== second) tail.push(letter);
    }
    const ticker = initial + second + tail.join('');
    if (!(ticker.length === 5 && ticker.endsWith('X'))) out.push(ticker);
  }
  return out;
}

function fiscalYearEndMonth(rng: Rng, sector: GicsSector, industry: IndustryProfile): number {
  if (industry.bank) return 12;
  const retail = /Retail|Apparel|Restaurants/.test(industry.name);
  return rng.weighted([
    [12, retail ? 30 : 58],
    [1, retail ? 40 : 6],
    [3, 6],
    [6, sector === 'Information Technology' ? 14 : 8],
    [9, 10],
    [2, 1.2],
    [4, 1.2],
    [5, 1.2],
    [7, 1.2],
    [8, 1.2],
    [10, 1.2],
    [11, 1.2],
  ]);
}

/** Trailing P/E ranges by sector (REIT earnings are depressed by depreciation, hence the high multiples). */
const PRICE_EARNINGS: Record<GicsSector, readonly [number, number]> = {
  Energy: [8, 15],
  Materials: [12, 21],
  Industrials: [15, 27],
  'Consumer Discretionary': [13, 27],
  'Consumer Staples': [15, 25],
  'Health Care': [15, 32],
  Financials: [9, 16],
  'Information Technology': [18, 40],
  'Communication Services': [12, 25],
  Utilities: [14, 21],
  'Real Estate': [25, 45],
};

const ODD_MONTHS = new Set([2, 4, 5, 7, 8, 10, 11]);

function revenueBaseFor(rng: Rng, size: 'huge' | 'tiny' | 'normal'): number {
  if (size === 'huge') return Math.exp(rng.between(Math.log(110e9), Math.log(400e9)));
  if (size === 'tiny') return Math.exp(rng.between(Math.log(20e6), Math.log(55e6)));
  // Log-normal around $2.5 billion, kept clear of the planted extremes.
  const value = Math.exp(Math.log(2.5e9) + 1.35 * rng.normal());
  return Math.min(90e9, Math.max(80e6, value));
}

function seasonalityFor(rng: Rng, industry: IndustryProfile): readonly [number, number, number, number] {
  const strength = /Retail|Apparel|Leisure|Hotels|Homebuilding|Utilities|Gas/.test(industry.name) ? 0.12 : 0.04;
  const raw = [0, 1, 2, 3].map(() => 1 + strength * rng.between(-1, 1));
  // Year-end quarters are busier for most sellers.
  raw[3]! += strength * 0.8;
  const total = raw.reduce((a, b) => a + b, 0);
  const [a, b, c, d] = raw.map((v) => (4 * v) / total) as [number, number, number, number];
  return [a, b, c, d];
}

function traitsFor(
  key: number,
  sector: SectorProfile,
  industry: IndustryProfile,
  hardCases: Set<DemoHardCase>,
  brokerCount: number,
): CompanyTraits {
  const rng = new Rng(mix(key, 0x7a17));
  const size = hardCases.has('huge_numbers') ? 'huge' : hardCases.has('tiny_numbers') ? 'tiny' : 'normal';
  const revenueBase = revenueBaseFor(rng, size);
  const scale = Math.min(1, Math.max(0, (Math.log10(revenueBase) - 7.3) / 4.3));
  const bank = industry.bank === true;
  const lossMaker = hardCases.has('negative_earnings');
  const grossMargin = rng.between(...sector.grossMargin);
  const operatingMargin = lossMaker ? rng.between(-0.32, -0.06) : rng.between(...sector.operatingMargin);
  const taxRate = rng.between(0.18, 0.25);
  const interestBurden = lossMaker ? 0.01 : rng.between(0, Math.min(0.02, Math.max(0, operatingMargin) * 0.3));
  const provisionRate = rng.between(0.04, 0.11);
  const efficiencyRatio = rng.between(0.52, 0.65);
  // Value profitable companies on earnings (sector P/E), loss makers on sales.
  const netMargin = bank
    ? (1 - provisionRate - efficiencyRatio) * (1 - taxRate)
    : Math.max(0.002, Math.min(operatingMargin, grossMargin - 0.05) - interestBurden) * (1 - taxRate);
  const marketCap = lossMaker
    ? revenueBase * rng.between(...sector.priceToSales) * 0.6
    : revenueBase * netMargin * rng.between(...PRICE_EARNINGS[sector.sector]);
  const priceBase = Math.min(450, Math.max(6, Math.exp(Math.log(55) + 0.8 * rng.normal())));
  const payer = !lossMaker && rng.chance(sector.payerShare);
  const dividendYield = rng.between(...sector.dividendYield);
  const restatement = hardCases.has('restatement')
    ? {
        parity: rng.int(0, 1),
        via: rng.chance(0.5) ? ('amendment' as const) : ('comparative' as const),
        revenueChange: (rng.chance(0.7) ? -1 : 1) * rng.between(0.012, 0.045),
      }
    : undefined;
  const brokers = rng.sample([...BROKERS.keys()], brokerCount);
  return {
    bank,
    reportsGrossProfit: !bank && !industry.noGrossProfit,
    reportsOperatingIncome: !bank,
    revenueConcept: bank
      ? 'RevenuesNetOfInterestExpense'
      : rng.chance(0.4)
        ? 'Revenues'
        : 'RevenueFromContractWithCustomerExcludingAssessedTax',
    reportingUnit: revenueBase >= 10e9 ? 1_000_000 : 1_000,
    revenueBase,
    growth: lossMaker ? rng.between(0.02, 0.3) : rng.between(...sector.growth),
    cycleAmplitude: rng.between(0.02, 0.08),
    cycleYears: rng.between(3, 7),
    cyclePhase: rng.between(0, 2 * Math.PI),
    seasonality: seasonalityFor(rng, industry),
    grossMargin,
    operatingMargin: Math.min(operatingMargin, grossMargin - 0.05),
    interestBurden,
    taxRate,
    netInterestShare: rng.between(0.55, 0.75),
    interestIncomeMultiple: rng.between(1.5, 2.2),
    provisionRate,
    efficiencyRatio,
    assetsToRevenue: bank ? rng.between(11, 16) : rng.between(...sector.assetsToRevenue),
    liabilitiesToAssets: bank ? rng.between(0.89, 0.92) : rng.between(...sector.liabilitiesToAssets),
    cashToAssets: bank ? rng.between(0.02, 0.06) : rng.between(0.04, 0.2),
    depreciationRate: rng.between(0.02, 0.08),
    sharesBase: marketCap / priceBase,
    shareDrift: rng.between(-0.03, 0.03),
    dilution: rng.between(0.004, 0.025),
    dividend: payer
      ? { quarterly: Math.max(0.01, Math.round((priceBase * dividendYield * 100) / 4) / 100), growth: rng.between(0, 0.08) }
      : undefined,
    priceBase,
    priceDrift: rng.between(-0.08, 0.16),
    priceSwing: rng.between(0.08, 0.22),
    lag10Q: size === 'tiny' ? rng.int(40, 45) : rng.int(25, 44),
    lag10K: size === 'tiny' ? rng.int(75, 89) : rng.int(45, 79),
    newsRate: 0.1 + 0.06 * scale,
    noteRate: brokerCount === 0 ? 0 : 0.04 + 0.05 * scale,
    brokers,
    stance: rng.between(-1, 1),
    restatement,
    vendorEpsAdjustment: rng.between(1.08, 1.25),
    founded: rng.int(1905, 2016),
    headquarters: rng.pick(HEADQUARTERS),
    employeesPerMillionRevenue: rng.between(0.8, 4.5),
    segments: rng.sample(sector.segments, rng.int(2, 3)),
    offering: rng.pick(industry.offerings),
    customers: rng.sample(sector.customers, 2),
  };
}

function hardCasesFor(key: number, fiscalMonth: number, sector: SectorProfile, industry: IndustryProfile): Set<DemoHardCase> {
  const cases = new Set<DemoHardCase>();
  const draw = (salt: number) => unit(mix(key, 0x4ca5e, salt));
  const vendor = draw(1);
  if (vendor < 0.03) cases.add('no_fundamentals');
  else if (vendor < 0.06) cases.add('stale_fundamentals');
  else if (vendor < 0.09) cases.add('fundamentals_outage');
  if (!cases.has('no_fundamentals')) {
    if (draw(2) < 0.05) cases.add('vendor_scale_thousands');
    if (draw(3) < 0.04) cases.add('vendor_eps_mismatch');
  }
  const research = draw(4);
  if (research < 0.06) cases.add('no_research_coverage');
  else if (research < 0.09) cases.add('stale_research');
  if (draw(5) < 0.03) cases.add('news_outage');
  if (draw(6) < 0.04) cases.add('restatement');
  // Banks that lose money are rare enough to leave out; their income statement has no room for it here.
  if (draw(7) < sector.lossShare && !industry.bank) cases.add('negative_earnings');
  const size = draw(8);
  if (size < 0.02) cases.add('huge_numbers');
  else if (size < 0.05) cases.add('tiny_numbers');
  if (ODD_MONTHS.has(fiscalMonth)) cases.add('odd_fiscal_year_end');
  return cases;
}

/** Build `size` companies for `seed`, in a stable order. */
export function buildUniverse(seed: number, size: number): DemoCompany[] {
  const stems = new Set<string>();
  const tickers = new Set<string>();
  const companies: DemoCompany[] = [];
  for (let index = 0; index < size; index++) {
    const rng = new Rng(mix(seed, 0x0417, index));
    // The first eleven companies take one sector each, so every sector is present in any universe of 11 or more.
    const sectorName = index < GICS_SECTORS.length ? GICS_SECTORS[index]! : rng.weighted(SECTOR_WEIGHTS);
    const sector = SECTOR_PROFILES.get(sectorName)!;
    const industry = rng.pick(sector.industries);
    let stem = nameStem(rng);
    while (stems.has(stem)) stem = nameStem(rng);
    stems.add(stem);
    const ticker = tickerCandidates(stem, rng).find((t) => !tickers.has(t)) ?? fallbackTicker(stem, rng, tickers);
    tickers.add(ticker);
    const word = rng.chance(0.75) ? rng.pick(industry.nameWords ?? sector.nameWords) : undefined;
    const suffix = word?.endsWith('Trust')
      ? 'Inc.'
      : sectorName === 'Real Estate' && rng.chance(0.4)
        ? 'Trust'
        : rng.pick(CORPORATE_SUFFIXES);
    const name = [stem, word, suffix].filter(Boolean).join(' ');

    const key = hashString(`${seed}|${ticker}`);
    const profileRng = new Rng(mix(key, 0x9f0f));
    const fiscalMonth = fiscalYearEndMonth(profileRng, sectorName, industry);
    const exchange = /Information Technology|Health Care|Communication Services/.test(sectorName)
      ? profileRng.chance(0.7)
        ? 'NASDAQ'
        : 'NYSE'
      : profileRng.chance(0.7)
        ? 'NYSE'
        : 'NASDAQ';
    const hardCases = hardCasesFor(key, fiscalMonth, sector, industry);
    const covered = !hardCases.has('no_research_coverage');
    const brokerCount = covered ? 2 + profileRng.int(0, 6) : 0;
    const traits = traitsFor(key, sector, industry, hardCases, brokerCount);
    companies.push({
      index,
      key,
      sectorProfile: sector,
      industryProfile: industry,
      hardCases,
      traits,
      profile: {
        ticker,
        name,
        // 7-digit CIKs from 9,900,000: real CIKs are below 2,100,000, so these can never collide.
        cik: String(9_900_000 + (index + 1) * 3).padStart(10, '0'),
        sector: sectorName,
        industry: industry.name,
        exchange,
        fiscalYearEndMonth: fiscalMonth,
      },
    });
  }
  return companies;
}

function fallbackTicker(stem: string, rng: Rng, taken: Set<string>): string {
  const initial = stem[0]!.toUpperCase();
  for (;;) {
    const candidate = initial + rng.pick(TICKER_OPENINGS.get(initial)!) + [0, 1, 2].map(() => rng.pick([...'BCDFGHKLMNPRSTVWZ'])).join('');
    if (!taken.has(candidate)) return candidate;
  }
}
