/**
 * Thresholds of the batch alarms, shared by the CDK alarms (lib/constructs/operations-monitoring.ts)
 * and `npm run ops -- alarms --local`, which applies the same rules to the local run audits so an
 * operator's drill sees the alarm the runbook is for. No AWS imports here.
 */
export const BATCH_ALARM_THRESHOLDS = {
  /** StockFailureRate: more than this % of a run's stocks failed (the Map tolerates 5 %). */
  maxStockFailurePercent: 2,
  /** VerificationPassRateLow: fewer than this % of briefs passed the fact check (FactCheckPassRate). */
  minFactCheckPassPercent: 90,
  /** EmbeddingCacheHitRateLow: fewer than this % of chunks were cache hits (expected on a first run only). */
  minEmbeddingCacheHitPercent: 60,
} as const;
