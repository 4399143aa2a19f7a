import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretStore, SecretValues } from '#services/ports/index.ts';
import { TransientError } from '#services/ports/index.ts';
import { secretsManagerClient } from './clients.ts';

/*
 * Named secrets in AWS Secrets Manager, read through Powertools Parameters. Secrets Manager rather than
 * SSM SecureString: CloudFormation can create the secret with a generated value (no one ever sees it, it
 * is never in a template or a variable), and every put of a new value keeps the one before under the
 * AWSPREVIOUS stage by itself — exactly the "current + previous" a rotation without broken links needs.
 * SSM SecureString parameters cannot be created by CloudFormation and keep no staged previous value.
 *
 * Each stage has its own provider because Powertools caches by name (and transform), not by the SDK
 * options that pick the stage. A secret without a previous value (never rotated) is remembered as such
 * for the same short while, so unknown key ids (a forged token) do not each cost a call.
 */

/** How long a value is used before it is read again: a rotation reaches every instance within this. */
export const SECRET_MAX_AGE_SECONDS = 300;

const isNotFound = (error: unknown): boolean =>
  (error as { name?: string }).name === 'ResourceNotFoundException' ||
  (error as { cause?: { name?: string } }).cause?.name === 'ResourceNotFoundException' ||
  (error as { notFound?: boolean }).notFound === true;

/**
 * Powertools wraps every failure; a transient one stays a TransientError for the callers' retries, any
 * other names the secret and the stage (the SDK's messages do not).
 */
const unwrapped = (error: unknown, name: string, stage: string): unknown => {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof TransientError) return cause;
  return Object.assign(
    new Error(`secret ${name} (${stage}): ${(error as Error).message}`, { cause: error }),
    {
      notFound: isNotFound(error),
    },
  );
};

export function secretsManagerStore(options: { maxAgeSeconds?: number } = {}): SecretStore {
  const maxAge = options.maxAgeSeconds ?? SECRET_MAX_AGE_SECONDS;
  const current = new SecretsProvider({ awsSdkV3Client: secretsManagerClient() });
  const previous = new SecretsProvider({ awsSdkV3Client: secretsManagerClient() });
  const noPreviousUntil = new Map<string, number>();

  const read = async (
    provider: SecretsProvider,
    name: string,
    stage: 'AWSCURRENT' | 'AWSPREVIOUS',
    fresh: boolean,
  ): Promise<string | undefined> => {
    const value = await provider
      .get(name, { maxAge, forceFetch: fresh, sdkOptions: { VersionStage: stage } })
      .catch((error: unknown) => {
        throw unwrapped(error, name, stage);
      });
    if (typeof value === 'string') return value;
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    return undefined;
  };

  const readPrevious = async (name: string, fresh: boolean): Promise<string | undefined> => {
    if (!fresh && (noPreviousUntil.get(name) ?? 0) > Date.now()) return undefined;
    try {
      const value = await read(previous, name, 'AWSPREVIOUS', fresh);
      noPreviousUntil.delete(name);
      return value;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      noPreviousUntil.set(name, Date.now() + maxAge * 1000);
      return undefined;
    }
  };

  return {
    async values(name, { fresh = false } = {}): Promise<SecretValues> {
      const [value, before] = await Promise.all([
        read(current, name, 'AWSCURRENT', fresh),
        readPrevious(name, fresh),
      ]);
      if (value === undefined || value === '') throw new Error(`secret ${name} has no current value`);
      return before === undefined || before === ''
        ? { current: value }
        : { current: value, previous: before };
    },
  };
}
