/**
 * Named secrets (signing keys, hashing keys): the value in force and, after a rotation, the one before it,
 * so that what was signed or hashed under the previous value is still recognised until it ages out.
 */
export interface SecretValues {
  /** The value in force: new signatures use it. */
  readonly current: string;
  /** The value before the last rotation, while the store keeps it; absent before any rotation. */
  readonly previous?: string;
}

export interface SecretStore {
  /**
   * The values of the secret `name` (its name or ARN), cached for a short while. `fresh` reads past the
   * cache: a signature under a key neither cached value matches may come from a rotation since.
   */
  values(name: string, options?: { fresh?: boolean }): Promise<SecretValues>;
}
