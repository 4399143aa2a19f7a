import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { installSourceMappedStackTraces } from './stack-traces.ts';

/*
 * One logger, metrics and tracer per process. The service name comes from POWERTOOLS_SERVICE_NAME (set
 * per function by the CDK construct). Nothing logged through these may contain a full phone number or
 * email address: mask with shared/notify's maskPhone / maskEmail.
 */
// Every handler imports this module, so every bundle maps its stack traces to the sources (at the first
// one printed: nothing is read at load). `import.meta.url` is the bundle's own URL once bundled.
installSourceMappedStackTraces(import.meta.url);

export const logger = new Logger();
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'keybill' });
export const tracer = new Tracer();

export const logFields = (message: string, fields?: Record<string, unknown>): void =>
  logger.info(message, fields ?? {});
