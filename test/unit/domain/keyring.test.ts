import { describe, expect, it } from 'vitest';
import { KEY_ID_LENGTH, keyOf, keyringOf, keyWithId } from '#domain/keyring.ts';

describe('keys made from a named secret', () => {
  it('carry a short public id derived from the key, the same for the same value', () => {
    const key = keyOf('s3cret-value');
    expect(key.id).toHaveLength(KEY_ID_LENGTH);
    expect(key.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(keyOf('s3cret-value').id).toBe(key.id);
    expect(keyOf('another-value').id).not.toBe(key.id);
    expect(key.id).not.toContain('s3cret');
  });

  it('find the current or the previous key of a ring by id, and nothing for an unknown id', () => {
    const ring = keyringOf({ current: 'new-key', previous: 'old-key' });
    expect(keyWithId(ring, keyOf('new-key').id)?.material.toString()).toBe('new-key');
    expect(keyWithId(ring, keyOf('old-key').id)?.material.toString()).toBe('old-key');
    expect(keyWithId(ring, keyOf('forged').id)).toBeUndefined();
    expect(keyringOf({ current: 'only' }).previous).toBeUndefined();
  });
});
