import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsManagerStore } from '#adapters/secrets.ts';
import { keyOf } from '#domain/keyring.ts';
import { keyById, keyringFor } from '#services/keyring.ts';
import { applyEnv, LOCAL_SECRETS, type LocalStack, startLocalStack } from '../../local/stack.ts';

/*
 * Named secrets through Powertools Parameters and the SDK, against the local stand-in for Secrets
 * Manager the stack seeds: what the functions do in AWS, rotation included.
 */
describe('named secrets (Secrets Manager through Powertools Parameters)', () => {
  let stack: LocalStack;
  const name = LOCAL_SECRETS.LINK_SIGNING_SECRET_ID!;

  beforeAll(async () => {
    stack = await startLocalStack({ services: ['secrets'] });
    applyEnv(stack.env);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('the stack seeds every secret with a random value and gives only its ARN in the environment', async () => {
    const values = await secretsManagerStore().values(name);
    expect(values.current).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(values.previous).toBeUndefined();
    expect(stack.env.LINK_SIGNING_SECRET_ID).toBe(stack.secrets!.arnOf(name));
    expect(stack.env.LINK_SIGNING_SECRET_ID).toMatch(
      new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-[A-Za-z0-9]{6}$`),
    );
    expect(await secretsManagerStore().values(stack.env.LINK_SIGNING_SECRET_ID!)).toEqual(values);
    expect(Object.values(stack.env)).not.toContain(values.current);
  });

  it('reads a secret once for a while, then again (a short max age)', async () => {
    const store = secretsManagerStore({ maxAgeSeconds: 60 });
    const before = stack.secrets!.reads();
    await store.values(name);
    await store.values(name);
    await store.values(name);
    // One read of the current value and one of the (absent) previous one, then the cache.
    expect(stack.secrets!.reads() - before).toBe(2);
  });

  it('after a rotation keeps the value before as the previous one, so both keys are found', async () => {
    const store = secretsManagerStore({ maxAgeSeconds: 60 });
    const old = (await store.values(name)).current;
    const rotated = stack.secrets!.rotate(name);

    // The cache still has the old ring; a key id it lacks makes it read past the cache once.
    expect((await keyringFor(store, name)).current.id).toBe(keyOf(old).id);
    expect((await keyById(store, name, keyOf(rotated).id))?.material.toString()).toBe(rotated);
    expect((await keyById(store, name, keyOf(old).id))?.material.toString()).toBe(old);
    expect(await store.values(name)).toEqual({ current: rotated, previous: old });
    expect(await keyById(store, name, keyOf('forged').id)).toBeUndefined();
  });

  it('names the secret it cannot find', async () => {
    await expect(secretsManagerStore().values('keybill-no-such-secret')).rejects.toThrow(
      /secret keybill-no-such-secret \(AWSCURRENT\)/,
    );
  });

  it('finds a secret by its whole ARN only: another suffix names no secret, as in AWS', async () => {
    const otherSuffix = stack.secrets!.arnOf(name).replace(/-[A-Za-z0-9]{6}$/, '-XXXXXX');
    const error = await secretsManagerStore()
      .values(otherSuffix)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ notFound: true });
  });
});
