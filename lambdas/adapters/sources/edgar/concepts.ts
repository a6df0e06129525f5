/**
 * Which XBRL concepts carry each metric, best first. Filers tag the same line differently (a bank
 * has no `GrossProfit`; revenue moved from `SalesRevenueNet` to
 * `RevenueFromContractWithCustomerExcludingAssessedTax` with ASC 606; IFRS filers use `ifrs-full`),
 * so every metric is a priority list, resolved per period: the first concept in the list that has a
 * value for a period supplies that period.
 *
 * Currency: only USD-denominated units are mapped. An IFRS filer that reports in EUR (or COP, PEN…)
 * yields no monetary metrics rather than numbers in a currency the rest of the pipeline would read as
 * dollars (`Fact.unit` has no currency field). Share counts are currency-free and still map.
 */
import type { FactUnit, MetricName } from '../../../core/model';

/** A metric the filings source can supply (the rest come from vendors, notes or derivation). */
export type FiledMetricName = Extract<
  MetricName,
  | 'revenue'
  | 'net_income'
  | 'operating_income'
  | 'gross_profit'
  | 'eps_diluted'
  | 'eps_basic'
  | 'total_assets'
  | 'total_liabilities'
  | 'stockholders_equity'
  | 'cash'
  | 'operating_cash_flow'
  | 'shares_outstanding'
  | 'dividends_per_share'
  | 'net_interest_income'
>;

export interface ConceptRef {
  taxonomy: 'us-gaap' | 'ifrs-full' | 'dei';
  concept: string;
}

export interface MetricMapping {
  metric: FiledMetricName;
  /** Our unit for the metric. */
  unit: FactUnit;
  /** The companyfacts unit key that carries it (`USD`, `USD/shares`, `shares`). */
  xbrlUnit: 'USD' | 'USD/shares' | 'shares';
  /** A flow over a period (income statement, cash flow) rather than a balance at an instant. */
  kind: 'duration' | 'instant';
  /** Best first. */
  concepts: readonly ConceptRef[];
}

const gaap = (concept: string): ConceptRef => ({ taxonomy: 'us-gaap', concept });
const ifrs = (concept: string): ConceptRef => ({ taxonomy: 'ifrs-full', concept });
const dei = (concept: string): ConceptRef => ({ taxonomy: 'dei', concept });

export const METRIC_MAPPINGS: readonly MetricMapping[] = [
  {
    metric: 'revenue',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'duration',
    concepts: [
      // Total revenues first: Walmart's `Revenues` includes membership income that its
      // `RevenueFromContractWithCustomer…` (net sales) leaves out.
      gaap('Revenues'),
      gaap('RevenueFromContractWithCustomerExcludingAssessedTax'),
      gaap('RevenueFromContractWithCustomerIncludingAssessedTax'),
      gaap('SalesRevenueNet'),
      gaap('SalesRevenueGoodsNet'),
      // Banks: total net revenue is reported net of interest expense.
      gaap('RevenuesNetOfInterestExpense'),
      ifrs('Revenue'),
      ifrs('RevenueFromContractsWithCustomers'),
    ],
  },
  {
    metric: 'net_income',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'duration',
    concepts: [
      // Attributable to the parent before including non-controlling interests (ProfitLoss).
      gaap('NetIncomeLoss'),
      gaap('ProfitLoss'),
      ifrs('ProfitLossAttributableToOwnersOfParent'),
      ifrs('ProfitLoss'),
    ],
  },
  {
    metric: 'operating_income',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'duration',
    concepts: [gaap('OperatingIncomeLoss'), ifrs('ProfitLossFromOperatingActivities')],
  },
  {
    metric: 'gross_profit',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'duration',
    concepts: [gaap('GrossProfit'), ifrs('GrossProfit')],
  },
  {
    metric: 'eps_diluted',
    unit: 'USD/share',
    xbrlUnit: 'USD/shares',
    kind: 'duration',
    concepts: [
      gaap('EarningsPerShareDiluted'),
      gaap('EarningsPerShareBasicAndDiluted'),
      ifrs('DilutedEarningsLossPerShare'),
      ifrs('BasicAndDilutedEarningsLossPerShare'),
    ],
  },
  {
    metric: 'eps_basic',
    unit: 'USD/share',
    xbrlUnit: 'USD/shares',
    kind: 'duration',
    concepts: [
      gaap('EarningsPerShareBasic'),
      gaap('EarningsPerShareBasicAndDiluted'),
      ifrs('BasicEarningsLossPerShare'),
      ifrs('BasicAndDilutedEarningsLossPerShare'),
    ],
  },
  {
    metric: 'total_assets',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'instant',
    concepts: [gaap('Assets'), ifrs('Assets')],
  },
  {
    metric: 'total_liabilities',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'instant',
    concepts: [gaap('Liabilities'), ifrs('Liabilities')],
  },
  {
    metric: 'stockholders_equity',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'instant',
    concepts: [
      gaap('StockholdersEquity'),
      gaap('StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest'),
      ifrs('EquityAttributableToOwnersOfParent'),
      ifrs('Equity'),
    ],
  },
  {
    metric: 'cash',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'instant',
    concepts: [
      gaap('CashAndCashEquivalentsAtCarryingValue'),
      gaap('Cash'),
      gaap('CashAndDueFromBanks'),
      // Includes restricted cash: used only for periods where nothing narrower is tagged.
      gaap('CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents'),
      ifrs('CashAndCashEquivalents'),
    ],
  },
  {
    metric: 'operating_cash_flow',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'duration',
    concepts: [
      gaap('NetCashProvidedByUsedInOperatingActivities'),
      gaap('NetCashProvidedByUsedInOperatingActivitiesContinuingOperations'),
      ifrs('CashFlowsFromUsedInOperatingActivities'),
    ],
  },
  {
    metric: 'shares_outstanding',
    unit: 'shares',
    xbrlUnit: 'shares',
    kind: 'instant',
    concepts: [
      // The cover-page count is the most recent one a filing states (dated weeks after period end).
      dei('EntityCommonStockSharesOutstanding'),
      gaap('CommonStockSharesOutstanding'),
      ifrs('NumberOfSharesOutstanding'),
    ],
  },
  {
    metric: 'dividends_per_share',
    unit: 'USD/share',
    xbrlUnit: 'USD/shares',
    kind: 'duration',
    concepts: [
      gaap('CommonStockDividendsPerShareDeclared'),
      gaap('CommonStockDividendsPerShareCashPaid'),
      ifrs('DividendsRecognisedAsDistributionsToOwnersPerShare'),
    ],
  },
  {
    metric: 'net_interest_income',
    unit: 'USD',
    xbrlUnit: 'USD',
    kind: 'duration',
    concepts: [gaap('InterestIncomeExpenseNet'), gaap('InterestIncomeExpenseOperatingNet'), ifrs('InterestRevenueExpense')],
  },
];

/** Flow metrics for which Q4 = fiscal year − first nine months is meaningful (not per-share ratios). */
export const Q4_DERIVABLE_METRICS: ReadonlySet<FiledMetricName> = new Set<FiledMetricName>([
  'revenue',
  'net_income',
  'operating_income',
  'gross_profit',
  'operating_cash_flow',
  'net_interest_income',
]);
