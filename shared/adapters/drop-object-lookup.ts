import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { DropObjectLookup } from '#services/ports/drop-objects.ts';
import { s3Client } from './clients.ts';

/**
 * HeadObject answers 404 for a missing key where the caller may list the bucket, and 403 where it may
 * not (the operator may only read `drops/`): both mean "no drop to run here".
 */
const NOT_THERE = new Set(['NotFound', 'NoSuchKey', 'Forbidden', 'AccessDenied']);

export const s3DropObjectLookup: DropObjectLookup = {
  async exists({ bucket, key }) {
    try {
      await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (NOT_THERE.has((error as Error).name) || status === 404 || status === 403) return false;
      throw error;
    }
  },
};
