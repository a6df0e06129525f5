/**
 * One telemetry module: one Logger, one Metrics, one Tracer per process, named by the function's
 * POWERTOOLS_SERVICE_NAME (the CDK sets one per workload; the local runtime sets the same names).
 *
 * In AWS, logs and EMF go to stdout, where Lambda ships them to CloudWatch, and the Tracer sends
 * segments to X-Ray. Locally stdout belongs to the CLI (its `--json` line), so when FA_LOG_FILE /
 * FA_EMF_FILE are set the same JSON lines are appended to files in the data dir: `emfSink` is the
 * one place an EMF line goes, whoever writes it (Metrics, the cost ledger). Outside Lambda the
 * Tracer is disabled by Powertools itself, so local runs send nothing anywhere.
 */
import { appendFileSync } from 'node:fs';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../core/contracts/metrics';

export { METRICS_NAMESPACE, MetricUnit };

export const serviceName = process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAMES.local;
const stage = process.env.FA_STAGE || 'local';
const emfFile = process.env.FA_EMF_FILE || undefined;
const logFile = process.env.FA_LOG_FILE || undefined;

/**
 * Where EMF lines go: appended to the local EMF file, or stdout for CloudWatch. Lines written in the
 * same turn of the event loop share one append (the local server finishes many requests per turn).
 */
export const emfSink: (line: string) => void = emfFile ? bufferedAppender(emfFile) : (line) => process.stdout.write(`${line}\n`);

function bufferedAppender(file: string): (line: string) => void {
  const pending: string[] = [];
  const flush = () => {
    if (pending.length > 0) appendFileSync(file, `${pending.splice(0).join('\n')}\n`);
  };
  // A process that exits right after its last metric (a CLI, a killed batch's restart) keeps it.
  process.once('exit', flush);
  return (line) => {
    if (pending.push(line) === 1) setImmediate(flush);
  };
}

/** A Logger whose records go to a file: the same JSON a Lambda would print. */
class FileLogger extends Logger {
  constructor(
    private readonly file: string,
    options: ConstructorParameters<typeof Logger>[0],
  ) {
    super(options);
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    appendFileSync(this.file, `${JSON.stringify(log.getAttributes())}\n`);
  }
}

export const logger: Logger = logFile ? new FileLogger(logFile, { serviceName, logLevel: 'INFO' }) : new Logger({ serviceName });

// Its own warnings ("no metrics to publish") go to the log, not to a CLI's stderr.
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName, defaultDimensions: { stage }, logger });
if (emfFile) {
  // Powertools prints EMF through its own Console; locally that Console writes to the EMF sink.
  const sinkStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      emfSink(chunk.toString('utf8').replace(/\n$/, ''));
      done();
    },
  });
  (metrics as unknown as { console: Console }).console = new Console({ stdout: sinkStream, stderr: process.stderr });
}

/**
 * The Tracer exists only where it traces: in Lambda, unless POWERTOOLS_TRACE_ENABLED is false.
 * Elsewhere Powertools would disable it anyway, but loading the X-Ray SDK installs an async hook
 * (cls-hooked) that makes every `await` of the process many times slower, so locally it is never
 * loaded at all.
 */
const tracingEnabled = Boolean(process.env.AWS_EXECUTION_ENV) && process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
export const tracer: Tracer | undefined = tracingEnabled
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName })
  : undefined;

/** Every AWS SDK client is created through this, so X-Ray sees each call as a subsegment. */
export function traced<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/**
 * A Lambda handler with the house telemetry: the Lambda context on every log line, an X-Ray
 * subsegment around the invocation, and the invocation's metrics published as one EMF document
 * when it ends (also when it fails).
 */
export function instrumented<TEvent, TResult>(handler: (event: TEvent, context: Context) => Promise<TResult>) {
  const wrapped = middy(handler).use(injectLambdaContext(logger));
  return (tracer ? wrapped.use(captureLambdaHandler(tracer)) : wrapped).use(logMetrics(metrics));
}
