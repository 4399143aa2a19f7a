import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/*
 * One logger, metrics and tracer per process. The service name comes from POWERTOOLS_SERVICE_NAME (set
 * per function by the CDK construct). Nothing logged through these may contain a full phone number or
 * email address: mask with shared/notify's maskPhone / maskEmail.
 */
export const logger = new Logger();
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'keybill' });
export const tracer = new Tracer();

export const logFields = (message: string, fields?: Record<string, unknown>): void =>
  logger.info(message, fields ?? {});
