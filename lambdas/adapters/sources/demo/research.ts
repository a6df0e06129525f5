/**
 * BlueMatrix-like research notes from fictional brokers. A note's rating and target follow the
 * broker's slowly changing view of the stock; its thesis quotes the figures of the latest filing
 * the analyst could have read, so notes and filings agree.
 */
import type { AnalystRating, ResearchNote } from '../../../core/model';
import { dayOfBusinessIndex, isoOf } from './calendar';
import { consensusFor } from './fundamentals';
import { latestAnnualFiling, latestPeriodicFiling, priceAt, sharesAt, spanOf, statementFor } from './financials';
import type { QuarterNumber } from './financials';
import { coverageEndIndex, filingOnIndex, hasNote, SCAN_LIMIT } from './events';
import { changePercent, perShareUsd, percent, pressUsd } from './prose';
import { gaussian, mix, Rng, SALT } from './random';
import type { DemoCompany } from './universe';
import { BROKERS, FIRST_NAMES, LAST_NAMES } from './vocabulary';

/** How many notes the research port returns. */
export const NOTES_RETURNED = 3;

/** A broker's view is revisited about every six months, its target about every two. */
const RATING_EPOCH = 130;
const TARGET_EPOCH = 40;

const RATING_RANK: Record<AnalystRating, number> = { Sell: 0, Underweight: 1, Hold: 2, Overweight: 3, Buy: 4 };

const UPSIDE: Record<AnalystRating, number> = { Buy: 0.25, Overweight: 0.15, Hold: 0.03, Underweight: -0.1, Sell: -0.2 };

function brokerOf(company: DemoCompany, index: number): number {
  const brokers = company.traits.brokers;
  return brokers[mix(company.key, SALT.note, index, 1) % brokers.length]!;
}

/** The analyst covering this sector at this broker: the same person across the broker's coverage. */
function analystOf(company: DemoCompany, broker: number): string {
  const h = mix(broker, company.profile.sector.length, company.profile.sector.charCodeAt(0), company.profile.sector.charCodeAt(2));
  return `${FIRST_NAMES[h % FIRST_NAMES.length]} ${LAST_NAMES[(h >>> 8) % LAST_NAMES.length]}`;
}

function ratingIn(company: DemoCompany, broker: number, epoch: number): AnalystRating {
  const score = company.traits.stance + 0.55 * gaussian(mix(company.key, SALT.rating, broker, epoch));
  if (score > 0.6) return 'Buy';
  if (score > 0.2) return 'Overweight';
  if (score > -0.35) return 'Hold';
  if (score > -0.75) return 'Underweight';
  return 'Sell';
}

function epochOf(index: number, length: number, broker: number): { epoch: number; into: number } {
  const shifted = index + broker * 17;
  return { epoch: Math.floor(shifted / length), into: shifted % length };
}

function roundTarget(value: number): number {
  return value < 20 ? Math.max(0.5, Math.round(value * 2) / 2) : Math.round(value);
}

function targetIn(company: DemoCompany, broker: number, rating: AnalystRating, index: number): number {
  const { epoch } = epochOf(index, TARGET_EPOCH, broker);
  // Set at the start of the target epoch from the price then, so notes within an epoch agree.
  const setOn = dayOfBusinessIndex(epoch * TARGET_EPOCH - broker * 17);
  const noise = 0.05 * gaussian(mix(company.key, SALT.target, broker, epoch));
  return roundTarget(priceAt(company, setOn) * (1 + UPSIDE[rating] + noise));
}

const THEMES_POSITIVE = [
  'margin expansion is underappreciated',
  'new products support a multi-year growth runway',
  'balance sheet strength gives room for capital returns',
  'share gains look durable',
  'estimates look too conservative',
];
const THEMES_NEUTRAL = [
  'fairly valued after the recent move',
  'waiting for clearer demand signals',
  'execution is solid but priced in',
  'balanced risk and reward',
];
const THEMES_NEGATIVE = [
  'consensus still looks too high',
  'competitive pressure is building',
  'margin risk into next year',
  'valuation leaves little room for error',
];

function themesFor(rating: AnalystRating): readonly string[] {
  if (rating === 'Buy' || rating === 'Overweight') return THEMES_POSITIVE;
  if (rating === 'Hold') return THEMES_NEUTRAL;
  return THEMES_NEGATIVE;
}

const RISKS = [
  'a slowdown in end-market demand',
  'pricing pressure from larger competitors',
  'execution on new product launches',
  'input-cost inflation',
  'higher interest rates',
  'regulatory changes',
  'integration of recent acquisitions',
  'customer concentration',
];

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The note published on business-day `index` (which must be a note day). */
export function noteOn(company: DemoCompany, index: number): ResearchNote {
  const day = dayOfBusinessIndex(index);
  const broker = brokerOf(company, index);
  const rng = new Rng(mix(company.key, SALT.text, index, broker));
  const { epoch, into } = epochOf(index, RATING_EPOCH, broker);
  const rating = ratingIn(company, broker, epoch);
  const earlierRating = ratingIn(company, broker, epoch - 1);
  const ratingChanged = earlierRating !== rating && into < 45;
  const priceTarget = targetIn(company, broker, rating, index);
  const earlierTarget = targetIn(
    company,
    broker,
    ratingIn(company, broker, epochOf(index - TARGET_EPOCH, RATING_EPOCH, broker).epoch),
    index - TARGET_EPOCH,
  );
  const targetChanged = epochOf(index, TARGET_EPOCH, broker).into < 15 && Math.abs(earlierTarget - priceTarget) / priceTarget > 0.02;
  const price = priceAt(company, day);
  const short = company.profile.name.split(' ')[0]!;

  const filing = latestPeriodicFiling(company, day);
  const annual = latestAnnualFiling(company, day);
  const sentences: string[] = [];
  let recap = false;
  if (filing) {
    const q = filing.quarter as QuarterNumber;
    const from = q === 4 ? 1 : q;
    const current = statementFor(company, spanOf(company, filing.fy, from, q), day);
    const prior = statementFor(company, spanOf(company, filing.fy - 1, from, q), day);
    const label = q === 4 ? `fiscal ${filing.fy}` : `fiscal Q${q} ${filing.fy}`;
    const growth = changePercent(current.revenue, prior.revenue);
    const growthText = growth === undefined ? '' : `, ${growth >= 0 ? 'up' : 'down'} ${percent(growth)} year over year,`;
    sentences.push(
      `${short} reported ${label} revenue of ${pressUsd(current.revenue)}${growthText} and diluted EPS of ${current.epsDiluted < 0 ? '-' : ''}${perShareUsd(current.epsDiluted)}.`,
    );
    recap = [0, 1, 2].some((back) => filingOnIndex(company, index - back)?.accn === filing.accn);
  }
  const theme = rng.pick(themesFor(rating));
  sentences.push(
    rating === 'Buy' || rating === 'Overweight'
      ? `We stay constructive: ${theme}, and we see upside to estimates as ${rng.pick(['pricing holds', 'volumes recover', 'cost savings flow through', 'new capacity ramps'])}.`
      : rating === 'Hold'
        ? `We remain on the sidelines: the shares look ${theme.startsWith('fairly') ? theme : `reasonably valued, and we are ${theme}`}.`
        : `We remain cautious: ${theme}, and we see downside if ${rng.pick(['demand softens further', 'pricing weakens', 'costs stay elevated'])}.`,
  );
  const bullish = rating === 'Buy' || rating === 'Overweight';
  const bearish = rating === 'Sell' || rating === 'Underweight';
  sentences.push(
    rng.pick(
      bullish
        ? [
            `We think investors underestimate the durability of ${short}'s position in ${company.traits.offering}.`,
            `Management's recent commentary on demand and pricing was consistent with our view.`,
          ]
        : bearish
          ? [
              `We think the market is too optimistic about ${short}'s position in ${company.traits.offering}.`,
              `Management's recent commentary on demand and pricing was less convincing than the market seems to believe.`,
            ]
          : [
              `Our model assumes steady execution in ${company.traits.segments[0]}, with ${company.traits.segments[1]} the main swing factor.`,
              `The debate centres on how much of the recent change in ${company.traits.segments[0]} is cyclical rather than structural.`,
            ],
    ),
  );
  if (annual) {
    const estimate = consensusFor(company, annual.fy, 1, index * 16 + broker);
    const upside = ((priceTarget - price) / price) * 100;
    const basis =
      estimate.epsMean > 0
        ? `about ${Math.max(1, Math.round(priceTarget / estimate.epsMean))}x our fiscal ${annual.fy + 1} EPS estimate of ${perShareUsd(estimate.epsMean)}`
        : `about ${Math.max(0.1, Math.round(((priceTarget * sharesAt(company, day)) / estimate.revenue) * 10) / 10)}x our fiscal ${annual.fy + 1} revenue estimate of ${pressUsd(estimate.revenue)}`;
    sentences.push(
      `Our ${perShareUsd(priceTarget)} price target, ${basis}, implies ${percent(upside)} ${upside >= 0 ? 'upside' : 'downside'} from the ${perShareUsd(price)} share price.`,
    );
  }
  const [riskA, riskB] = rng.sample(RISKS, 2);
  sentences.push(
    `Key risks include ${riskA} and ${riskB}.`,
    rng.pick([
      'We will watch order trends and management commentary on pricing at the next update.',
      'Upcoming catalysts include the next quarterly report and any update to capital allocation plans.',
      'We would revisit our view on evidence of sustained improvement in returns on capital.',
    ]),
  );

  const title = ratingChanged
    ? `${RATING_RANK[rating] > RATING_RANK[earlierRating] ? 'Upgrading' : 'Downgrading'} to ${rating}: ${theme}`
    : targetChanged
      ? `${priceTarget > earlierTarget ? 'Raising' : 'Lowering'} price target to ${perShareUsd(priceTarget)}; ${theme}`
      : recap
        ? `Results recap: ${theme}`
        : capitalise(theme);
  const note: ResearchNote = {
    docId: `bmx-${company.profile.ticker}-${isoOf(day).replaceAll('-', '')}-${String(broker).padStart(2, '0')}`,
    ticker: company.profile.ticker,
    broker: BROKERS[broker]!,
    analyst: analystOf(company, broker),
    published: isoOf(day),
    rating,
    priceTarget,
    currency: 'USD',
    title,
    thesis: sentences.join(' '),
  };
  if (ratingChanged) note.previousRating = earlierRating;
  if (targetChanged) note.previousPriceTarget = earlierTarget;
  return note;
}

/** The latest `count` notes published on or before business-day `index`, newest first. */
export function latestNotes(company: DemoCompany, index: number, count = NOTES_RETURNED): ResearchNote[] {
  if (company.traits.brokers.length === 0) return [];
  const start = company.hardCases.has('stale_research') ? Math.min(index, coverageEndIndex(company)) : index;
  const notes: ResearchNote[] = [];
  for (let i = start; i > start - SCAN_LIMIT && notes.length < count; i--) if (hasNote(company, i)) notes.push(noteOn(company, i));
  return notes;
}
