/**
 * A vendor outage for the plan's stocks: their vendor sources (fundamentals by default) fail every
 * call with SourceUnavailableError, as a vendor API down past its retries does. The pipeline then
 * records the missing source and the brief says what it could not see.
 */
import type { Sources } from '../../core/ports';
import { SourceUnavailableError } from '../../core/errors';
import type { FaultPlan } from './fault-plan';

export function withVendorOutage(sources: Sources, plan: FaultPlan): Sources {
  if (plan.config.vendorOutageRate === 0) return sources;
  const down = new Set(plan.config.vendorOutageSources);
  const fail = (kind: string, ticker: string): never => {
    plan.record('vendor_outage', `${kind}:${ticker}`);
    throw new SourceUnavailableError(`${kind} vendor unavailable for ${ticker} (injected outage: HTTP 503 after retries)`);
  };
  const isDown = (kind: (typeof plan.config.vendorOutageSources)[number], ticker: string) => down.has(kind) && plan.vendorDown(ticker);
  return {
    ...sources,
    fundamentals: {
      fundamentals: async (company, asOf) => {
        if (isDown('fundamentals', company.ticker)) fail('fundamentals', company.ticker);
        return sources.fundamentals.fundamentals(company, asOf);
      },
    },
    research: {
      notes: async (company, asOf) => {
        if (isDown('research', company.ticker)) fail('research', company.ticker);
        return sources.research.notes(company, asOf);
      },
    },
    news: {
      news: async (company, asOf) => {
        if (isDown('news', company.ticker)) fail('news', company.ticker);
        return sources.news.news(company, asOf);
      },
    },
  };
}
