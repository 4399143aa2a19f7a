/**
 * A stand-in for AWS Secrets Manager on the local stack (dev tooling; no emulator on the registry covers
 * it without a container). It speaks the awsJson1_1 protocol @aws-sdk/client-secrets-manager uses (POST /,
 * `X-Amz-Target: secretsmanager.<Action>`, JSON in and out, errors as `{ "__type": … }`), so code reaches it
 * through AWS_ENDPOINT_URL_SECRETS_MANAGER alone.
 *
 * Calls: GetSecretValue (by VersionStage AWSCURRENT / AWSPREVIOUS or VersionId), CreateSecret and
 * PutSecretValue. A secret is found by its name or by its ARN, which ends, as in AWS, in a random
 * six-character suffix after the name: an ARN with another suffix, region or account names no secret. A put makes the new value AWSCURRENT and the one before AWSPREVIOUS, as Secrets Manager
 * does, so a rotation can be played for real: `rotate(name)` is that put with a fresh random value.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBoundedBody } from './read-body.ts';

export interface LocalSecretsManager {
  /** Base URL to use as AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  readonly url: string;
  /** Creates the secret, or puts a new current value (the old one becomes AWSPREVIOUS); returns its ARN. */
  put(name: string, value: string): string;
  /** The ARN of a secret created before (what the CDK stack hands functions). */
  arnOf(name: string): string;
  /** Puts a fresh random value (32 bytes, base64url); returns it. */
  rotate(name: string): string;
  /** GetSecretValue calls answered so far (a cache that works keeps this low). */
  reads(): number;
  stop(): Promise<void>;
}

interface Secret {
  arn: string;
  versions: Version[];
}

interface Version {
  versionId: string;
  value: string;
  stages: Set<string>;
  createdAt: number;
}

const MAX_BODY_BYTES = 64 * 1024;

class SecretsManagerError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A random key of 32 bytes: what the local stack seeds each named secret with. */
export const randomSecretValue = (): string => randomBytes(32).toString('base64url');

/** Six letters and digits, the suffix AWS adds to a secret's name in its ARN. */
const arnSuffix = (): string =>
  Array.from(randomBytes(6), (byte) => ARN_SUFFIX_CHARACTERS[byte % ARN_SUFFIX_CHARACTERS.length]).join('');
const ARN_SUFFIX_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export async function startLocalSecretsManager(
  opts: { host?: string; region?: string; account?: string } = {},
): Promise<LocalSecretsManager> {
  const host = opts.host ?? '127.0.0.1';
  const arnPrefix = `arn:aws:secretsmanager:${opts.region ?? 'us-east-1'}:${opts.account ?? '000000000000'}:secret:`;
  const secrets = new Map<string, Secret>();
  let readCount = 0;

  const notFound = () =>
    new SecretsManagerError(
      400,
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    );
  /** The secret a SecretId names: its name, or its whole ARN. */
  const nameOf = (secretId: unknown): string => {
    if (typeof secretId !== 'string' || secretId === '')
      throw new SecretsManagerError(400, 'InvalidParameterException', 'SecretId is required');
    if (!secretId.startsWith('arn:')) return secretId;
    const found = [...secrets].find(([, secret]) => secret.arn === secretId);
    if (found === undefined) throw notFound();
    return found[0];
  };
  const secretOf = (name: string): Secret => {
    const secret = secrets.get(name);
    if (secret === undefined) throw notFound();
    return secret;
  };

  const put = (name: string, value: string, versionId: string = randomUUID()): Version => {
    const secret = secrets.get(name) ?? { arn: `${arnPrefix}${name}-${arnSuffix()}`, versions: [] };
    for (const version of secret.versions) {
      version.stages.delete('AWSPREVIOUS');
      if (version.stages.delete('AWSCURRENT')) version.stages.add('AWSPREVIOUS');
    }
    const version: Version = { versionId, value, stages: new Set(['AWSCURRENT']), createdAt: Date.now() };
    secret.versions.push(version);
    secrets.set(name, secret);
    return version;
  };
  const arnOf = (name: string): string => secretOf(name).arn;

  const actions: Record<string, (body: Record<string, unknown>) => unknown> = {
    GetSecretValue(body) {
      readCount++;
      const name = nameOf(body.SecretId);
      const { versions } = secretOf(name);
      const wanted =
        typeof body.VersionId === 'string' ? undefined : String(body.VersionStage ?? 'AWSCURRENT');
      const version = versions.find((v) =>
        wanted === undefined ? v.versionId === body.VersionId : v.stages.has(wanted),
      );
      if (version === undefined)
        throw new SecretsManagerError(
          400,
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for ${wanted === undefined ? 'VersionId' : `staging label: ${wanted}`}`,
        );
      return {
        ARN: arnOf(name),
        Name: name,
        VersionId: version.versionId,
        SecretString: version.value,
        VersionStages: [...version.stages],
        CreatedDate: version.createdAt / 1000,
      };
    },
    CreateSecret(body) {
      const name = body.Name;
      if (typeof name !== 'string' || name === '' || name.startsWith('arn:'))
        throw new SecretsManagerError(400, 'InvalidParameterException', 'Name is required');
      if (secrets.has(name))
        throw new SecretsManagerError(400, 'ResourceExistsException', `The secret ${name} already exists.`);
      const version = put(name, stringValue(body), clientToken(body));
      return { ARN: arnOf(name), Name: name, VersionId: version.versionId };
    },
    PutSecretValue(body) {
      const name = nameOf(body.SecretId);
      secretOf(name);
      const version = put(name, stringValue(body), clientToken(body));
      return { ARN: arnOf(name), Name: name, VersionId: version.versionId, VersionStages: ['AWSCURRENT'] };
    },
  };

  const server = createServer((req, res) => {
    readBody(req)
      .then((text) => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const action = actions[target.replace(/^secretsmanager\./, '')];
        if (action === undefined)
          throw new SecretsManagerError(400, 'InvalidRequestException', `unsupported action ${target}`);
        reply(res, 200, action(JSON.parse(text || '{}') as Record<string, unknown>));
      })
      .catch((error: unknown) => {
        const e =
          error instanceof SecretsManagerError
            ? error
            : new SecretsManagerError(400, 'InvalidRequestException', String(error));
        reply(res, e.status, { __type: e.type, message: e.message });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    put(name, value) {
      put(name, value);
      return arnOf(name);
    },
    arnOf,
    rotate(name) {
      const value = randomSecretValue();
      put(name, value);
      return value;
    },
    reads: () => readCount,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

function stringValue(body: Record<string, unknown>): string {
  if (typeof body.SecretString !== 'string' || body.SecretString === '')
    throw new SecretsManagerError(400, 'InvalidParameterException', 'SecretString is required');
  return body.SecretString;
}

function clientToken(body: Record<string, unknown>): string | undefined {
  return typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : undefined;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  readBoundedBody(
    req,
    MAX_BODY_BYTES,
    () => new SecretsManagerError(413, 'InvalidRequestException', 'Request body too large'),
  );

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
