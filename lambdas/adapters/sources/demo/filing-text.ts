/**
 * Text sections of the demo's 10-K, 10-Q and 10-K/A filings: Item 1 (Business), Item 1A (Risk
 * Factors) and Item 7 (MD&A) for annual reports; Part I Item 2 (MD&A) and Part II Item 1A for
 * quarterly ones. Every figure in the MD&A is computed from the same statements as the filing's
 * XBRL facts, so the text and the companyfacts payload can never disagree.
 */
import type { FilingDocument, FilingSection } from '../../../core/model';
import { isoOf } from './calendar';
import { balanceAt, spanOf, statementFor } from './financials';
import type { DemoFiling, QuarterNumber, Statement } from './financials';
import { epsPhrase, filingUsd, grouped, longDate, movedTo, netIncomePhrase, percent, perShareUsd } from './prose';
import { hashString, mix, Rng, SALT } from './random';
import type { DemoCompany } from './universe';
import { GENERAL_RISKS } from './vocabulary';
import type { RiskFactor } from './vocabulary';

const ORDINAL = ['', 'first', 'second', 'third', 'fourth'] as const;

function shortName(company: DemoCompany): string {
  return company.profile.name.split(' ')[0]!;
}

function paragraphs(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Item 1.

function business(company: DemoCompany, filing: DemoFiling, rng: Rng): string {
  const t = company.traits;
  const name = company.profile.name;
  const short = shortName(company);
  const statement = statementFor(company, spanOf(company, filing.fy, 1, 4), filing.filed);
  const employees = Math.max(40, Math.round(((statement.revenue / 1e6) * t.employeesPerMillionRevenue) / 10) * 10);
  const [first, second, third] = t.segments;
  const segmentList = third ? `${first}, ${second} and ${third}` : `${first} and ${second}`;
  const verb =
    company.profile.sector === 'Financials' || company.profile.sector === 'Real Estate' || company.profile.sector === 'Utilities'
      ? rng.pick(['provides', 'offers'])
      : rng.pick(['provides', 'develops and sells', 'designs, manufactures and markets', 'offers']);
  const overview = `${name} ("${short}," the "Company," "we" or "us") ${verb} ${t.offering} for ${t.customers[0]} and ${t.customers[1]}. The Company was founded in ${t.founded} and is headquartered in ${t.headquarters}. We operate in the ${company.profile.industry.toLowerCase()} industry within the ${company.profile.sector} sector, and our common stock trades on the ${company.profile.exchange} under the symbol "${company.profile.ticker}."`;
  const segmentText = `We manage the business through ${third ? 'three' : 'two'} reportable segments: ${segmentList}. ${rng.pick([
    `The ${first} segment is our largest and serves long-standing customers under multi-year agreements.`,
    `The ${first} segment generates most of our revenue, while ${second} is our fastest-growing business.`,
    `Each segment has its own leadership team and is evaluated on revenue and segment operating profit.`,
  ])} ${rng.pick([
    `We believe the breadth of our portfolio allows us to deepen relationships with existing customers over time.`,
    `Our strategy is to expand in adjacent markets where our engineering and service capabilities give us an advantage.`,
    `We continue to invest in the ${second} segment to broaden our offering and improve recurring revenue.`,
  ])}`;
  const customers = company.traits.bank
    ? 'We serve our customers through a network of branches, relationship managers and digital channels. Deposits are gathered primarily in our home markets, and our loan portfolio is diversified across commercial, real estate and consumer lending.'
    : rng.pick([
        'We sell through a direct sales organization supported by distributors and channel partners. No single customer accounted for more than ten percent of consolidated revenue in the year.',
        'Our customers range from large national accounts to regional operators. We reach them through a direct sales force, digital channels and selected partners, and our customer base is diversified.',
        'We market our offerings through account managers organized by region and industry, complemented by a growing e-commerce channel. Our largest customers have worked with us for many years.',
      ]);
  const competition = rng.pick([
    'The markets we serve are competitive and fragmented. We compete on the basis of product performance, reliability, service, price and the strength of our relationships, and some competitors have greater resources than we do.',
    'We face competition from large diversified companies and from smaller specialists. We believe our scale, technical expertise and reputation for quality are important competitive strengths.',
  ]);
  const seasonality = t.bank
    ? 'Our results are not materially seasonal, although they are sensitive to changes in interest rates and the credit cycle.'
    : t.seasonality[3] > 1.08
      ? 'Our business is seasonal, and revenue is typically highest in the fourth fiscal quarter, when customer demand peaks.'
      : 'Our business is not materially seasonal, although quarterly results can vary with the timing of large orders and customer budgets.';
  const people = `As of ${longDate(filing.periodEnd)}, we had approximately ${grouped(employees, 0)} full-time employees. We invest in training, leadership development and a safe workplace, and we measure engagement through regular employee surveys.`;
  const regulation = rng.pick([
    'Our operations are subject to laws and regulations governing product safety, environmental protection, data privacy, trade and employment. Compliance has not had a material effect on our capital expenditures or competitive position.',
    'We are subject to federal, state and international regulation, including rules on environmental matters, export controls, anti-corruption and the protection of personal data. We maintain compliance programs designed to meet these requirements.',
  ]);
  const ip =
    'We rely on a combination of patents, trademarks, trade secrets and contractual protections to safeguard our intellectual property, and we regard our brands as valuable assets.';
  const available = `Our annual reports, quarterly reports and current reports are available free of charge on our investor relations website at investors.${short.toLowerCase()}.example as soon as reasonably practicable after we file them with the SEC.`;
  return paragraphs(overview, segmentText, customers, competition, seasonality, people, regulation, ip, available);
}

// ---------------------------------------------------------------------------------------------
// Item 1A.

function riskText(risk: RiskFactor, rng: Rng): string {
  const count = Math.min(risk.sentences.length, rng.int(1, 3));
  return `${risk.title}\n${risk.sentences.slice(0, Math.max(1, count)).join(' ')}`;
}

function riskFactors(company: DemoCompany, rng: Rng): string {
  const sectorRisks = company.sectorProfile.risks;
  const count = rng.int(5, 8);
  const chosen = [...rng.sample(sectorRisks, Math.min(sectorRisks.length, rng.int(2, 3)))];
  chosen.push(...rng.sample(GENERAL_RISKS, count - chosen.length));
  const intro =
    'Investing in our securities involves risk. The following risk factors, together with the other information in this report, could materially affect our business, financial condition and results of operations.';
  return paragraphs(intro, ...chosen.map((r) => riskText(r, rng)));
}

// ---------------------------------------------------------------------------------------------
// MD&A.

function fiscalLabel(fy: number): string {
  return `fiscal ${fy}`;
}

function drivers(company: DemoCompany, up: boolean, rng: Rng): string {
  const [first, second] = company.traits.segments;
  return up
    ? rng.pick([
        `driven by higher volumes in ${first} and pricing actions across the portfolio`,
        `reflecting growth in ${first} and ${second} and contributions from new customers`,
        `primarily due to strong demand in ${first}, partly offset by softer conditions in ${second}`,
      ])
    : rng.pick([
        `primarily due to lower volumes in ${first} as customers reduced inventories`,
        `reflecting weaker demand in ${second} and the exit from lower-margin product lines`,
        `as pricing pressure in ${first} more than offset growth in ${second}`,
      ]);
}

function segmentResults(company: DemoCompany, up: boolean, rng: Rng): string {
  const [first, second, third] = company.traits.segments;
  return [
    up
      ? rng.pick([
          `${first} revenue grew on higher volumes and a richer mix, and segment margins improved.`,
          `${first} delivered the largest share of growth, helped by new customer wins and steady renewals.`,
        ])
      : rng.pick([
          `${first} revenue declined as customers delayed orders, and segment margins narrowed on lower absorption.`,
          `${first} was affected by weaker demand and competitive pricing.`,
        ]),
    rng.pick([
      `${second} benefited from recent investments in capacity and sales coverage.`,
      `${second} results were broadly stable, with growth in services offsetting softer product sales.`,
      `${second} continued to scale, although start-up costs weighed on its profitability.`,
    ]),
    third ? `${third} remained a small but growing contributor to consolidated results.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function cashLabel(company: DemoCompany): string {
  return company.traits.bank ? 'Cash and due from banks' : 'Cash and cash equivalents';
}

function operatingExpenses(company: DemoCompany, rng: Rng): string {
  if (company.traits.bank) {
    return [
      rng.pick([
        'Noninterest expense reflected higher technology and compensation costs, partly offset by lower occupancy expense.',
        'We continued to manage noninterest expense carefully while investing in digital banking and treasury services.',
      ]),
      'Credit quality remained within our expectations, and net charge-offs were concentrated in consumer portfolios.',
    ].join(' ');
  }
  return [
    rng.pick([
      'Selling, general and administrative expenses grew more slowly than revenue as we realized benefits from our productivity programs.',
      'Selling, general and administrative expenses increased, reflecting investments in sales capacity, technology and incentive compensation.',
      'We held selling, general and administrative expenses roughly flat while continuing to fund priority initiatives.',
    ]),
    rng.pick([
      'Research and development spending remained a priority, focused on next-generation offerings and automation.',
      'Depreciation and amortization increased with recent capital projects.',
      'Restructuring actions taken in prior periods continued to lower our cost base.',
    ]),
  ].join(' ');
}

function resultsSentences(
  company: DemoCompany,
  current: Statement,
  prior: Statement,
  periodLabel: string,
  priorLabel: string,
  rng: Rng,
): string[] {
  const t = company.traits;
  const out: string[] = [];
  if (t.bank) {
    out.push(
      `Total revenue, net of interest expense, ${movedTo(current.revenue, prior.revenue)} ${filingUsd(current.revenue)} in ${periodLabel} from ${filingUsd(prior.revenue)} in ${priorLabel}.`,
      `Net interest income ${movedTo(current.netInterestIncome, prior.netInterestIncome)} ${filingUsd(current.netInterestIncome)}, ${rng.pick(['reflecting loan growth and higher yields on earning assets', 'as deposit costs rose faster than asset yields', 'supported by growth in average deposits'])}.`,
      `Noninterest income was ${filingUsd(current.noninterestIncome)}, and the provision for credit losses was ${filingUsd(current.provision)} compared with ${filingUsd(prior.provision)} in ${priorLabel}.`,
      `Noninterest expense was ${filingUsd(current.noninterestExpense)}.`,
    );
  } else {
    out.push(
      `Revenue ${movedTo(current.revenue, prior.revenue)} ${filingUsd(current.revenue)} in ${periodLabel} from ${filingUsd(prior.revenue)} in ${priorLabel}, ${drivers(company, current.revenue >= prior.revenue, rng)}.`,
    );
    if (t.reportsGrossProfit) {
      out.push(
        `Gross profit was ${filingUsd(current.grossProfit)}, or ${percent((current.grossProfit / current.revenue) * 100)} of revenue, compared with ${percent((prior.grossProfit / prior.revenue) * 100)} in ${priorLabel}.`,
      );
    }
    out.push(
      current.operatingIncome < 0
        ? `Operating loss was ${filingUsd(current.operatingIncome)} compared with an operating ${prior.operatingIncome < 0 ? 'loss' : 'income'} of ${filingUsd(prior.operatingIncome)} in ${priorLabel}.`
        : `Operating income was ${filingUsd(current.operatingIncome)} compared with ${prior.operatingIncome < 0 ? 'an operating loss of ' : ''}${filingUsd(prior.operatingIncome)} in ${priorLabel}.`,
    );
  }
  out.push(
    `We reported ${netIncomePhrase(current.netIncome)}, or ${epsPhrase(current.epsDiluted)}, in ${periodLabel}, compared with ${netIncomePhrase(prior.netIncome)}, or ${epsPhrase(prior.epsDiluted)}, in ${priorLabel}.`,
  );
  return out;
}

function annualMdna(company: DemoCompany, filing: DemoFiling, rng: Rng): string {
  const fy = filing.fy;
  const current = statementFor(company, spanOf(company, fy, 1, 4), filing.filed);
  const prior = statementFor(company, spanOf(company, fy - 1, 1, 4), filing.filed);
  const balance = balanceAt(company, fy, 4);
  const short = shortName(company);
  const overview = `The following discussion should be read together with our consolidated financial statements and related notes. ${short} provides ${company.traits.offering}. Our fiscal year ${fy} ended on ${longDate(filing.periodEnd)}, and references to ${fiscalLabel(fy)} and ${fiscalLabel(fy - 1)} are to the fiscal years then ended. This discussion contains forward-looking statements that involve risks and uncertainties, and actual results may differ materially.`;
  const restatementNote = prior.restated
    ? `Amounts for ${fiscalLabel(fy - 1)} have been restated to correct the timing of revenue recognized on certain multi-element contracts, as described in the notes to the consolidated financial statements.`
    : current.restated
      ? `Amounts for ${fiscalLabel(fy)} reflect the restatement described in the Explanatory Note.`
      : '';
  const results = resultsSentences(company, current, prior, fiscalLabel(fy), fiscalLabel(fy - 1), rng).join(' ');
  const liquidity = [
    `${cashLabel(company)} were ${filingUsd(balance.cash)} at ${longDate(balance.end)}.`,
    `Net cash ${current.operatingCashFlow >= 0 ? 'provided by' : 'used in'} operating activities was ${filingUsd(current.operatingCashFlow)} in ${fiscalLabel(fy)}.`,
    current.dividendsPerShare > 0
      ? `We declared dividends of ${perShareUsd(current.dividendsPerShare)} per share in ${fiscalLabel(fy)} compared with ${perShareUsd(prior.dividendsPerShare)} in ${fiscalLabel(fy - 1)}.`
      : 'We have not paid cash dividends and intend to retain earnings to fund growth.',
    rng.pick([
      'We believe existing cash, cash from operations and our revolving credit facility will be sufficient to meet our needs for at least the next twelve months.',
      'We expect to fund capital expenditures, debt service and shareholder returns from operating cash flow and available liquidity.',
    ]),
  ].join(' ');
  const outlook = rng.pick([
    'Looking ahead, we expect demand to remain healthy in our core markets, although higher interest rates and cautious customer spending could weigh on growth. We will continue to prioritize margin improvement and disciplined capital allocation.',
    'For the coming year we remain focused on executing our product roadmap, controlling costs and converting our pipeline. Macroeconomic uncertainty, including trade policy and inflation, could affect our results.',
    'We enter the new fiscal year with a solid backlog and continued investment in our highest-return opportunities, while monitoring the effects of inflation and competitive pricing on our margins.',
  ]);
  const estimates =
    'Our critical accounting estimates include revenue recognition, the valuation of goodwill and intangible assets, income taxes and contingencies. These estimates require judgment, and actual results could differ.';
  return paragraphs(
    overview,
    restatementNote,
    `Results of Operations\n${results}`,
    `Segment Results\n${segmentResults(company, current.revenue >= prior.revenue, rng)}`,
    `Operating Expenses\n${operatingExpenses(company, rng)}`,
    `Liquidity and Capital Resources\n${liquidity}`,
    `Outlook\n${outlook}`,
    `Critical Accounting Estimates\n${estimates}`,
  );
}

function quarterlyMdna(company: DemoCompany, filing: DemoFiling, rng: Rng): string {
  const fy = filing.fy;
  const q = filing.quarter as QuarterNumber;
  const current = statementFor(company, spanOf(company, fy, q, q), filing.filed);
  const prior = statementFor(company, spanOf(company, fy - 1, q, q), filing.filed);
  const balance = balanceAt(company, fy, q);
  const ytd = statementFor(company, spanOf(company, fy, 1, q), filing.filed);
  const label = `the ${ORDINAL[q]} quarter of ${fiscalLabel(fy)}`;
  const priorLabel = `the ${ORDINAL[q]} quarter of ${fiscalLabel(fy - 1)}`;
  const intro = `This discussion should be read with the condensed consolidated financial statements in this report and our Annual Report on Form 10-K for ${fiscalLabel(fy - 1)}. The quarter ended ${longDate(filing.periodEnd)}.`;
  const results = resultsSentences(company, current, prior, label, priorLabel, rng).join(' ');
  const yearToDate =
    q > 1
      ? `For the first ${q === 2 ? 'six' : 'nine'} months of ${fiscalLabel(fy)}, revenue was ${filingUsd(ytd.revenue)} and we reported ${netIncomePhrase(ytd.netIncome)}.`
      : '';
  const liquidity = `${cashLabel(company)} were ${filingUsd(balance.cash)} at ${longDate(balance.end)}, and net cash ${ytd.operatingCashFlow >= 0 ? 'provided by' : 'used in'} operating activities was ${filingUsd(ytd.operatingCashFlow)} year to date.`;
  const outlook = rng.pick([
    'We continue to monitor customer demand, input costs and interest rates, and we adjust our spending plans as conditions change.',
    'Order trends during the quarter were consistent with our expectations, and we remain focused on cost discipline.',
    'We expect the second half of the year to benefit from new product introductions and productivity initiatives.',
  ]);
  return paragraphs(
    intro,
    `Results of Operations\n${results}`,
    `Segment Results\n${segmentResults(company, current.revenue >= prior.revenue, rng)}`,
    yearToDate,
    `Liquidity and Capital Resources\n${liquidity} ${operatingExpenses(company, rng)}`,
    outlook,
  );
}

function quarterlyRisks(company: DemoCompany, filing: DemoFiling, rng: Rng): string {
  const base = `There have been no material changes to the risk factors disclosed in our Annual Report on Form 10-K for ${fiscalLabel(filing.fy - 1)}, except as described below.`;
  const update = rng.pick([...company.sectorProfile.risks, ...GENERAL_RISKS]);
  return rng.chance(0.6)
    ? paragraphs(base, riskText(update, rng))
    : `There have been no material changes to the risk factors disclosed in our Annual Report on Form 10-K for ${fiscalLabel(filing.fy - 1)}.`;
}

function explanatoryNote(company: DemoCompany, filing: DemoFiling): string {
  const original = statementFor(company, spanOf(company, filing.fy, 1, 4), filing.filed - 1);
  const restated = statementFor(company, spanOf(company, filing.fy, 1, 4), filing.filed);
  return paragraphs(
    `This Amendment No. 1 on Form 10-K/A amends our Annual Report on Form 10-K for ${fiscalLabel(filing.fy)} to restate our consolidated financial statements for the fiscal year ended ${longDate(filing.periodEnd)}. The restatement corrects the timing of revenue recognized on certain multi-element contracts.`,
    `As restated, revenue for ${fiscalLabel(filing.fy)} is ${filingUsd(restated.revenue)}, compared with ${filingUsd(original.revenue)} as originally reported, and net income is ${filingUsd(restated.netIncome)}, compared with ${filingUsd(original.netIncome)}. Diluted earnings per share is ${perShareUsd(restated.epsDiluted)}, compared with ${perShareUsd(original.epsDiluted)} as originally reported.`,
    'Except as described above, this amendment does not reflect events occurring after the original filing or modify other disclosures.',
  );
}

// ---------------------------------------------------------------------------------------------

function titleOf(filing: DemoFiling): string {
  const period = longDate(filing.periodEnd);
  if (filing.form === '10-Q') return `Form 10-Q for the quarter ended ${period}`;
  if (filing.form === '10-K/A') return `Form 10-K/A (Amendment No. 1) for the fiscal year ended ${period}`;
  return `Form 10-K for the fiscal year ended ${period}`;
}

const MDNA_TITLE = "Management's Discussion and Analysis of Financial Condition and Results of Operations";

/** The text document for one demo filing. */
export function filingDocument(company: DemoCompany, filing: DemoFiling): FilingDocument {
  const rng = new Rng(mix(company.key, SALT.text, hashString(filing.accn)));
  let sections: FilingSection[];
  if (filing.form === '10-K') {
    sections = [
      { item: '1', title: 'Business', text: business(company, filing, rng) },
      { item: '1A', title: 'Risk Factors', text: riskFactors(company, rng) },
      { item: '7', title: MDNA_TITLE, text: annualMdna(company, filing, rng) },
    ];
  } else if (filing.form === '10-K/A') {
    sections = [
      { item: 'Explanatory Note', title: 'Explanatory Note', text: explanatoryNote(company, filing) },
      { item: '7', title: MDNA_TITLE, text: annualMdna(company, filing, rng) },
    ];
  } else {
    sections = [
      { item: '2', title: MDNA_TITLE, text: quarterlyMdna(company, filing, rng) },
      { item: '1A', title: 'Risk Factors', text: quarterlyRisks(company, filing, rng) },
    ];
  }
  return {
    docId: filing.accn,
    ticker: company.profile.ticker,
    form: filing.form,
    filed: isoOf(filing.filed),
    periodEnd: isoOf(filing.periodEnd),
    fiscalYear: filing.fy,
    fiscalPeriod: filing.fp,
    title: titleOf(filing),
    sections,
  };
}
