/**
 * What one unit of work (a stock) consumed, counted exactly under concurrency: embedding-cache
 * degradations and DynamoDB capacity. The batch runs each stock inside `withUnitScope`; adapters'
 * callbacks add to the scope of the stock whose call it was.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface UnitScope {
  degraded: number;
  readUnits: number;
  writeUnits: number;
}

const storage = new AsyncLocalStorage<UnitScope>();

export function withUnitScope<T>(work: () => Promise<T>): Promise<T> {
  return storage.run({ degraded: 0, readUnits: 0, writeUnits: 0 }, work);
}

/** The scope of the unit running now; undefined outside one (a query, a test). */
export function currentUnitScope(): UnitScope | undefined {
  return storage.getStore();
}
