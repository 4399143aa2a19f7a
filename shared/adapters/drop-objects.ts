import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DropObjectStore } from '#services/ports/drop-objects.ts';
import { s3Client } from './clients.ts';

/** Drops are read from, and reports written to, S3. */
export const s3DropObjectStore: DropObjectStore = {
  async open({ bucket, key }) {
    // The body is a stream: a drop is never loaded whole into memory.
    const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (out.Body === undefined) throw new Error(`s3://${bucket}/${key} has no body`);
    return {
      body: out.Body as Readable,
      etag: (out.ETag ?? '').replaceAll('"', ''),
      size: out.ContentLength ?? 0,
      charset: out.Metadata?.charset,
      contentEncoding: out.ContentEncoding,
    };
  },
  async put({ bucket, key }, body, contentType) {
    await s3Client().send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
    );
  },
};
