import type { Readable } from 'node:stream';

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

/** Whether an object is there, without reading it (the operator checks a drop it is asked to run). */
export interface DropObjectLookup {
  /** False when there is no such object, or none this function may read. */
  exists(ref: DropRef): Promise<boolean>;
}
