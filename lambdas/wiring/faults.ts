/**
 * The fault plan of a chaos run (FA_FAULTS), built once per process from the runtime config. Only
 * this composition root applies it — to the DynamoDB client (stores.ts), the embedding cache
 * (cache.ts) and the vendor sources (sources.ts) — so no code path anywhere else knows about faults.
 */
import { FaultPlan } from '../adapters/faults/fault-plan';
import type { RuntimeConfig } from './config';
import { logger } from './telemetry';

let plan: FaultPlan | undefined;
let planFor: RuntimeConfig['FA_FAULTS'];

/** The process's fault plan, or undefined when FA_FAULTS is unset (every deployed stage). */
export function faultPlanOf(config: RuntimeConfig): FaultPlan | undefined {
  if (!config.FA_FAULTS) return undefined;
  if (!plan || planFor !== config.FA_FAULTS) {
    plan = new FaultPlan(config.FA_FAULTS);
    planFor = config.FA_FAULTS;
    logger.warn('fault injection is on (FA_FAULTS): this process is part of a chaos run', { faults: config.FA_FAULTS });
  }
  return plan;
}
