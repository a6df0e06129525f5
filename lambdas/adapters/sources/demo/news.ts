/**
 * Dated news items: earnings releases on filing days (quoting the filing's own figures), and
 * ordinary company news on other days (guidance, launches, management changes, deal rumours,
 * litigation, dividends, contracts, buybacks). Count-based: the port returns the latest five, so
 * an old item ageing out never changes the content on its own.
 */
import type { NewsItem } from '../../../core/model';
import { dayOfBusinessIndex, isoOf } from './calendar';
import { hasEarningsRelease, hasNews, filingOnIndex, SCAN_LIMIT } from './events';
import { fiscalYearOf, priceAt, quarterlyDividend, sharesAt, spanOf, statementFor } from './financials';
import type { DemoFiling, QuarterNumber } from './financials';
import { changePercent, percent, perShareUsd, pressUsd } from './prose';
import { mix, Rng, SALT } from './random';
import type { DemoCompany } from './universe';
import { FIRST_NAMES, LAST_NAMES, NEWS_SOURCES } from './vocabulary';

/** How many news items the news port returns. */
export const NEWS_RETURNED = 5;

const PRESS_RELEASE_SOURCE = 'Corporate Release Service';

function shortName(company: DemoCompany): string {
  return company.profile.name.split(' ')[0]!;
}

function timestamp(day: number, minuteOfDay: number): string {
  const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const mm = String(minuteOfDay % 60).padStart(2, '0');
  return `${isoOf(day)}T${hh}:${mm}:00Z`;
}

function eps(value: number): string {
  return `${value < 0 ? '-' : ''}${perShareUsd(value)}`;
}

function earningsRelease(company: DemoCompany, filing: DemoFiling, rng: Rng): { headline: string; body: string } {
  const name = company.profile.name;
  const short = shortName(company);
  const q = filing.quarter as QuarterNumber;
  if (filing.form === '10-K/A') {
    const original = statementFor(company, spanOf(company, filing.fy, 1, 4), filing.filed - 1);
    const restated = statementFor(company, spanOf(company, filing.fy, 1, 4), filing.filed);
    return {
      headline: `${short} restates fiscal ${filing.fy} results`,
      body: `${name} filed an amended annual report restating its results for fiscal ${filing.fy} to correct the timing of revenue on certain multi-element contracts. Revenue for the year is now ${pressUsd(restated.revenue)}, compared with ${pressUsd(original.revenue)} as originally reported, and diluted EPS is ${eps(restated.epsDiluted)} instead of ${eps(original.epsDiluted)}. The company said the correction has no effect on cash and that it has strengthened its review of contract accounting. Management does not expect the change to affect its outlook.`,
    };
  }
  const from = q === 4 ? 1 : q;
  const current = statementFor(company, spanOf(company, filing.fy, from, q), filing.filed);
  const prior = statementFor(company, spanOf(company, filing.fy - 1, from, q), filing.filed);
  const label = q === 4 ? `fiscal ${filing.fy}` : `fiscal Q${q} ${filing.fy}`;
  const growth = changePercent(current.revenue, prior.revenue);
  const growthText = growth === undefined ? '' : `, ${growth >= 0 ? 'up' : 'down'} ${percent(growth)} from a year earlier`;
  const profit =
    current.netIncome < 0
      ? `The net loss was ${pressUsd(current.netIncome)}, or ${eps(current.epsDiluted)} per diluted share, compared with ${prior.netIncome < 0 ? 'a net loss' : 'net income'} of ${pressUsd(prior.netIncome)} a year ago.`
      : `Net income was ${pressUsd(current.netIncome)}, or ${eps(current.epsDiluted)} per diluted share, compared with ${eps(prior.epsDiluted)} a year ago.`;
  const ceo = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  const quote = rng.pick([
    `"Our teams executed well in a mixed environment, and we continue to invest in the areas with the best returns," said chief executive ${ceo}.`,
    `"We are encouraged by the momentum in our core business and remain disciplined on costs," said chief executive ${ceo}.`,
    `"Results reflect the actions we have taken to sharpen our portfolio, and we enter the next period with a healthy pipeline," said chief executive ${ceo}.`,
  ]);
  return {
    headline: `${short} reports ${q === 4 ? `fourth-quarter and fiscal ${filing.fy}` : `fiscal Q${q} ${filing.fy}`} results`,
    body: `${name} reported ${label} revenue of ${pressUsd(current.revenue)}${growthText}. ${profit} ${quote} ${rng.pick([
      'Management said it would provide more detail on its outlook on a conference call with analysts later in the day.',
      'The company will discuss the results and its priorities for the rest of the year on a conference call with analysts.',
      'Executives are expected to address demand trends, pricing and capital allocation on the call with analysts.',
    ])} The full report has been filed with the Securities and Exchange Commission.`,
  };
}

type Story = (company: DemoCompany, day: number, rng: Rng) => { headline: string; body: string };

const STORIES: ReadonlyArray<readonly [Story, number]> = [
  [
    (c, day, rng) => {
      const fy = fiscalYearOf(c, day);
      const expected = statementFor(c, spanOf(c, fy, 1, 4), Number.POSITIVE_INFINITY).revenue;
      const low = expected * rng.between(0.96, 0.99);
      const high = low * rng.between(1.02, 1.04);
      const verb = rng.pick(['reaffirmed', 'raised', 'narrowed']);
      return {
        headline: `${shortName(c)} ${verb} its fiscal ${fy} outlook`,
        body: `${c.profile.name} ${verb} its outlook for fiscal ${fy} at an industry conference, saying it now expects revenue of ${pressUsd(low)} to ${pressUsd(high)}. Management pointed to steady demand from ${c.traits.customers[0]} and continued cost discipline. The company said it would provide a fuller update with its next quarterly report. Analysts said the range was broadly in line with expectations.`,
      };
    },
    12,
  ],
  [
    (c, _day, rng) => ({
      headline: `${shortName(c)} launches new ${rng.pick(['platform', 'product line', 'service offering', 'generation of its flagship product'])}`,
      body: `${c.profile.name} introduced a new offering in its ${c.traits.segments[0]} business, extending its line-up of ${c.traits.offering}. The company said early customers had reported faster deployment and lower operating costs, and that the launch targets ${c.traits.customers[1]}. Volume shipments are expected to begin next quarter. Industry observers said the move puts the company in more direct competition with larger rivals.`,
    }),
    18,
  ],
  [
    (c, _day, rng) => {
      const role = rng.pick([
        'chief financial officer',
        'chief operating officer',
        'president of its ' + c.traits.segments[0] + ' segment',
        'chief technology officer',
      ]);
      const person = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
      return {
        headline: `${shortName(c)} names new ${role}`,
        body: `${c.profile.name} appointed ${person} as ${role}, effective next month. ${person.split(' ')[0]} joins from a larger competitor, where ${rng.pick(['she', 'he'])} led operations and finance teams across several regions. The predecessor will remain with the company through a transition period. The board said the appointment strengthens the leadership team as the company pursues its growth plan.`,
      };
    },
    10,
  ],
  [
    (c, day, rng) => {
      const value = statementFor(c, spanOf(c, fiscalYearOf(c, day), 1, 4), Number.POSITIVE_INFINITY).revenue * rng.between(0.01, 0.05);
      return {
        headline: `${shortName(c)} wins multi-year contract`,
        body: `${c.profile.name} said it won a multi-year contract valued at about ${pressUsd(value)} to supply ${c.traits.offering} to ${rng.pick(['a large national customer', 'a government agency', 'a global manufacturer', 'a regional operator'])}. Work is expected to begin this quarter and ramp over the next two years. The company said the award reflects its record on quality and delivery, and that its backlog is now at a record level.`,
      };
    },
    14,
  ],
  [
    (c, day, rng) => {
      const value = priceAt(c, day) * sharesAt(c, day) * rng.between(1.25, 1.4);
      return {
        headline: `${shortName(c)} shares rise on report of takeover interest`,
        body: `Shares of ${c.profile.name} rose after a report that a larger industry player had approached the company about a possible combination valuing it at about ${pressUsd(value)}, including debt. People familiar with the matter cautioned that talks were at an early stage and might not lead to a deal. ${shortName(c)} said it does not comment on market rumors. Analysts said a deal would face a lengthy regulatory review.`,
      };
    },
    8,
  ],
  [
    (c, _day, rng) => ({
      headline: `${shortName(c)} faces lawsuit over ${rng.pick(['patent claims', 'a supply agreement', 'product performance', 'disclosure practices'])}`,
      body: `A lawsuit filed in federal court alleges that ${c.profile.name} ${rng.pick(['infringed patents held by a competitor', 'breached a long-term supply agreement', 'misrepresented product performance to customers', 'failed to disclose risks to investors'])}. The plaintiffs seek unspecified damages. The company said it believes the claims are without merit and intends to defend itself vigorously. Legal experts said cases of this kind often take years to resolve and are frequently settled.`,
    }),
    8,
  ],
  [
    (c, day, rng) => {
      const dividend = quarterlyDividend(c, fiscalYearOf(c, day));
      if (dividend <= 0) return STORIES[1]![0](c, day, rng);
      return {
        headline: `${shortName(c)} declares quarterly dividend`,
        body: `The board of ${c.profile.name} declared a quarterly cash dividend of ${perShareUsd(dividend)} per share, payable next month to shareholders of record at the end of this month. The company said the dividend reflects confidence in its cash generation and balance sheet. ${shortName(c)} has paid a regular dividend for many years and said it continues to balance shareholder returns with investment in the business.`,
      };
    },
    10,
  ],
  [
    (c, day, rng) => {
      const value = priceAt(c, day) * sharesAt(c, day) * rng.between(0.03, 0.08);
      return {
        headline: `${shortName(c)} authorizes share repurchase program`,
        body: `${c.profile.name} said its board authorized the repurchase of up to ${pressUsd(value)} of its common stock. The program has no expiration date and may be carried out through open-market purchases or other means. Management said buybacks will be funded from operating cash flow and are not expected to affect planned investments or the dividend.`,
      };
    },
    6,
  ],
  [
    (c, _day, rng) => ({
      headline: `${shortName(c)} announces partnership to expand ${c.traits.segments[1]}`,
      body: `${c.profile.name} entered a strategic partnership with ${rng.pick(['a cloud services provider', 'a regional distributor', 'an engineering firm', 'a private-equity-backed specialist'])} to expand its ${c.traits.segments[1]} business. The companies will jointly develop and market solutions for ${c.traits.customers[0]}. Financial terms were not disclosed. Management said the agreement accelerates its roadmap without a large capital commitment.`,
    }),
    9,
  ],
  [
    (c, _day, rng) => ({
      headline: `${shortName(c)} to expand ${rng.pick(['manufacturing', 'operations', 'distribution', 'service'])} capacity`,
      body: `${c.profile.name} plans to expand capacity at its ${rng.pick(['Midwest', 'Southeast', 'Texas', 'Mountain West'])} operations to meet rising demand for ${c.traits.offering}. The project is expected to be completed within eighteen months and to create several hundred jobs. The company said the expansion will be funded from existing resources and is included in its capital spending plans.`,
    }),
    6,
  ],
  [
    (c, _day, rng) => ({
      headline: `Rating agency ${rng.pick(['affirms', 'revises outlook on', 'upgrades'])} ${shortName(c)} credit rating`,
      body: `A credit rating agency ${rng.pick(['affirmed its rating on', 'revised its outlook on', 'upgraded its rating on'])} ${c.profile.name}, citing ${rng.pick(['stable cash flows and moderate leverage', 'improving margins and debt reduction', 'a solid market position balanced by cyclical end markets'])}. The agency said it could take further action if the company's leverage changes materially. The company said it remains committed to a strong balance sheet.`,
    }),
    4,
  ],
];

const CLOSERS: ReadonlyArray<(short: string) => string> = [
  (short) => `Shares of ${short} were little changed in afternoon trading after the announcement.`,
  () => 'The company did not provide further details and declined to comment beyond its statement.',
  (short) => `${short} is scheduled to report its next quarterly results in the coming weeks, when management is expected to say more.`,
  () =>
    "Analysts following the stock said the news was consistent with the company's recent strategy and unlikely to change near-term estimates.",
  (short) => `Investors will look for more detail on the effect on margins when ${short} next updates the market.`,
];

/** Stories run sixty to a hundred and twenty words: short ones get a closing line or two. */
function withClosers(short: string, body: string, rng: Rng): string {
  let out = body;
  const closers = rng.sample(CLOSERS, 2);
  for (const closer of closers) if (out.split(/\s+/).length < 70) out += ` ${closer(short)}`;
  return out;
}

function newsOn(company: DemoCompany, index: number, out: NewsItem[]): void {
  const day = dayOfBusinessIndex(index);
  const ticker = company.profile.ticker;
  const stamp = isoOf(day).replaceAll('-', '');
  const random = hasNews(company, index);
  const filing = filingOnIndex(company, index);
  // Newest first within the day: ordinary news lands in the afternoon, releases before the open.
  if (random) {
    const rng = new Rng(mix(company.key, SALT.newsKind, index));
    const drafted = rng.weighted(STORIES)(company, day, rng);
    const story = { headline: drafted.headline, body: withClosers(shortName(company), drafted.body, rng) };
    out.push({
      docId: `nws-${ticker}-${stamp}-2`,
      ticker,
      published: timestamp(day, rng.int(14 * 60, 21 * 60)),
      source: rng.pick(NEWS_SOURCES.filter((s) => s !== PRESS_RELEASE_SOURCE)),
      ...story,
    });
  }
  if (filing && hasEarningsRelease(company, index, filing)) {
    const rng = new Rng(mix(company.key, SALT.earningsNews, index));
    out.push({
      docId: `nws-${ticker}-${stamp}-1`,
      ticker,
      published: timestamp(day, rng.int(11 * 60, 13 * 60)),
      source: PRESS_RELEASE_SOURCE,
      ...earningsRelease(company, filing, rng),
    });
  }
}

/** The latest `count` news items published on or before business-day `index`, newest first. */
export function latestNews(company: DemoCompany, index: number, count = NEWS_RETURNED): NewsItem[] {
  const items: NewsItem[] = [];
  for (let i = index; i > index - SCAN_LIMIT && items.length < count; i--) newsOn(company, i, items);
  return items.slice(0, count);
}
