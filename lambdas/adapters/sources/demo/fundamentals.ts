/**
 * FactSet-like vendor records: price, shares, market value, the last fiscal year as the vendor
 * carries it, and consensus for the next two fiscal years. The record is a pure function of its
 * refresh day (see `fundamentalsRefreshIndex`), so it only changes when something material does.
 */
import type { FundamentalsRecord } from '../../../core/model';
import { dayOfBusinessIndex, isoOf } from './calendar';
import { latestAnnualFiling, latestPeriodicFiling, priceAt, sharesAt, spanOf, statementFor } from './financials';
import { gaussian, mix, SALT } from './random';
import type { DemoCompany } from './universe';
import { FUNDAMENTALS_VENDOR } from './vocabulary';

function inScale(value: number, scale: 'thousands' | 'millions'): number {
  // Vendors carry thousand-dollar precision: three decimals in millions, whole thousands.
  return scale === 'millions' ? Math.round(value / 1e3) / 1e3 : Math.round(value / 1e3);
}

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Consensus estimates for the fiscal year after `lastFy`, `ahead` years out, as of a refresh day. */
export function consensusFor(
  company: DemoCompany,
  lastFy: number,
  ahead: number,
  refreshIndex: number,
): { epsMean: number; revenue: number } {
  // Analysts see the business as it will turn out, blurred by an error that grows with the horizon.
  const future = statementFor(company, spanOf(company, lastFy + ahead, 1, 4), Number.POSITIVE_INFINITY);
  const error = (salt: number) => 1 + 0.035 * ahead * gaussian(mix(company.key, SALT.consensus, refreshIndex, ahead * 10 + salt));
  return { epsMean: cents(future.epsDiluted * error(1)), revenue: future.revenue * error(2) };
}

/** The vendor record in force on business-day index `refreshIndex`, or undefined before the company's first 10-K. */
export function fundamentalsRecordAt(company: DemoCompany, refreshIndex: number): FundamentalsRecord | undefined {
  const day = dayOfBusinessIndex(refreshIndex);
  const annual = latestAnnualFiling(company, day);
  const latest = latestPeriodicFiling(company, day);
  if (!annual || !latest) return undefined;
  const scale = company.hardCases.has('vendor_scale_thousands') ? 'thousands' : 'millions';
  const asOf = isoOf(day);
  const price = priceAt(company, day);
  // The share count the latest filing stated on its cover page, as the vendor picks it up.
  const shares = Math.round(sharesAt(company, latest.coverDate) / 1000) * 1000;
  const last = statementFor(company, spanOf(company, annual.fy, 1, 4), day);
  const epsDiluted = company.hardCases.has('vendor_eps_mismatch')
    ? // Vendors carry adjusted EPS (before one-off charges), which is higher than the GAAP figure.
      cents(
        last.epsDiluted >= 0
          ? last.epsDiluted * company.traits.vendorEpsAdjustment + 0.05
          : last.epsDiluted + Math.max(0.05, Math.abs(last.epsDiluted) * 0.3),
      )
    : last.epsDiluted;
  const numEstimates = company.traits.brokers.length === 0 ? 1 + (company.key % 2) : company.traits.brokers.length + 2 + (company.key % 5);
  return {
    docId: `fds-${company.profile.ticker}-${asOf}`,
    ticker: company.profile.ticker,
    vendor: FUNDAMENTALS_VENDOR,
    asOf,
    currency: 'USD',
    scale,
    price,
    sharesOutstanding: shares,
    marketCap: inScale(price * shares, scale),
    lastFiscalYear: {
      fiscalYear: annual.fy,
      periodEnd: isoOf(annual.periodEnd),
      revenue: inScale(last.revenue, scale),
      netIncome: inScale(last.netIncome, scale),
      epsDiluted,
    },
    consensus: [1, 2].map((ahead) => {
      const estimate = consensusFor(company, annual.fy, ahead, refreshIndex);
      return {
        fiscalYear: annual.fy + ahead,
        epsMean: estimate.epsMean,
        revenueMean: inScale(estimate.revenue, scale),
        numEstimates: Math.max(1, numEstimates - ahead + 1),
      };
    }),
  };
}
