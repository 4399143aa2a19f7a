import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { s3DropObjectLookup } from '#adapters/drop-object-lookup.ts';

const s3 = mockClient(S3Client);
const ref = { bucket: 'keybill-drops', key: 'drops/reads/2026-10.csv' };
const s3Error = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

beforeAll(() => {
  vi.stubEnv('AWS_REGION', 'us-east-1');
});
afterEach(() => s3.reset());

describe('whether a drop is there (HeadObject)', () => {
  it('finds an object that is there, asking for that bucket and key only', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10 });
    expect(await s3DropObjectLookup.exists(ref)).toBe(true);
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: ref.bucket, Key: ref.key });
  });

  it.each([
    ['a missing key (404)', s3Error('NotFound', 404)],
    ['a key the function may not list (403 without s3:ListBucket)', s3Error('Forbidden', 403)],
  ])('answers false for %s', async (_what, error) => {
    s3.on(HeadObjectCommand).rejects(error);
    expect(await s3DropObjectLookup.exists(ref)).toBe(false);
  });

  it('lets any other failure through', async () => {
    s3.on(HeadObjectCommand).rejects(s3Error('SlowDown', 503));
    await expect(s3DropObjectLookup.exists(ref)).rejects.toThrow();
  });
});
