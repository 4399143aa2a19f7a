import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from './clients.ts';

export interface DropRef {
  bucket: string;
  key: string;
}

export interface OpenedDrop {
  body: Readable;
  etag: string;
  size: number;
  /** Object metadata `charset` (the producer marks GB18030 this way). */
  charset?: string;
  contentEncoding?: string;
}

/** Where drops are read from and reports written to; S3 in AWS and in the local stack alike. */
export interface DropObjectStore {
  open(ref: DropRef): Promise<OpenedDrop>;
  put(ref: DropRef, body: string, contentType: string): Promise<void>;
}

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

export async function headDrop({ bucket, key }: DropRef): Promise<{ etag: string; size: number }> {
  const out = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return { etag: (out.ETag ?? '').replaceAll('"', ''), size: out.ContentLength ?? 0 };
}
