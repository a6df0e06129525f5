/**
 * Powertools singletons, created once per module. In AWS, logs and EMF go to stdout where Lambda
 * ships them to CloudWatch. Locally stdout belongs to the CLI (its `--json` line), so when
 * FA_LOG_FILE / FA_EMF_FILE are set the same JSON lines are appended to files in the data dir.
 */
import { appendFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';

export const METRICS_NAMESPACE = 'FAAdvisorAI';
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'fa-advisor-ai';

/** A Logger whose records go to a file: the same JSON a Lambda would print. */
class FileLogger extends Logger {
  constructor(private readonly file: string, options: ConstructorParameters<typeof Logger>[0]) {
    super(options);
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    appendFileSync(this.file, `${JSON.stringify(log.getAttributes())}\n`);
  }
}

const logFile = process.env.FA_LOG_FILE;
export const logger: Logger = logFile
  ? new FileLogger(logFile, { serviceName, logLevel: 'INFO' })
  : new Logger({ serviceName });

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName,
  defaultDimensions: { stage: process.env.FA_STAGE ?? 'local' },
});

export { MetricUnit };

/** Flush buffered metrics: to stdout (EMF, CloudWatch parses it) or to the local EMF file. */
export function publishMetrics(): void {
  const emfFile = process.env.FA_EMF_FILE;
  if (!emfFile) {
    metrics.publishStoredMetrics();
    return;
  }
  if (metrics.hasStoredMetrics()) appendFileSync(emfFile, `${JSON.stringify(metrics.serializeMetrics())}\n`);
  metrics.clearMetrics();
  metrics.clearMetadata();
}

/** middy middleware: publish metrics after every invocation, also when it fails. */
export function emitMetrics(): middy.MiddlewareObj {
  return {
    after: () => publishMetrics(),
    onError: () => publishMetrics(),
  };
}
