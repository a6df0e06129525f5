/**
 * The demo universe's fundamentals, research notes and news for one as-of date, written as vendor
 * feed deliveries (docs/SOURCES.md "Vendor feeds"): a reference producer of the format, and a way to
 * try the feed adapters locally on data whose briefs are known.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDemoSources } from '../lambdas/adapters/sources/demo';
import type { CompanyProfile, IsoDate } from '../lambdas/core/model';

export interface DemoFeedsResult {
  asOf: IsoDate;
  stocks: number;
  /** Lines written per kind; a demo outage day leaves that stock out of that kind's delivery. */
  lines: { fundamentals: number; research: number; news: number };
  files: string[];
}

/** An outage of the demo vendor is a stock missing from the delivery, as a real vendor would send it. */
async function orNothing<T>(read: () => Promise<T>, nothing: T): Promise<T> {
  return read().catch(() => nothing);
}

export async function writeDemoFeeds(options: { out: string; asOf: IsoDate; limit?: number; seed?: number }): Promise<DemoFeedsResult> {
  const demo = createDemoSources(options.seed === undefined ? {} : { seed: options.seed });
  const companies: CompanyProfile[] = (await demo.universe.list()).slice(0, options.limit);
  const lines = { fundamentals: [] as string[], research: [] as string[], news: [] as string[] };
  for (const company of companies) {
    const record = await orNothing(() => demo.fundamentals.fundamentals(company, options.asOf), undefined);
    if (record) lines.fundamentals.push(JSON.stringify(record));
    for (const note of await demo.research.notes(company, options.asOf)) lines.research.push(JSON.stringify(note));
    for (const item of await orNothing(() => demo.news.news(company, options.asOf), [])) lines.news.push(JSON.stringify(item));
  }
  const files = (Object.keys(lines) as Array<keyof typeof lines>).map((kind) => {
    mkdirSync(join(options.out, kind), { recursive: true });
    const file = join(options.out, kind, `${options.asOf}.jsonl`);
    writeFileSync(file, lines[kind].map((line) => `${line}\n`).join(''));
    return file;
  });
  return {
    asOf: options.asOf,
    stocks: companies.length,
    lines: { fundamentals: lines.fundamentals.length, research: lines.research.length, news: lines.news.length },
    files,
  };
}
