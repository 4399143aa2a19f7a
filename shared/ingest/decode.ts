import { isAscii } from 'node:buffer';
import { pipeline, Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { DropFileError } from './errors.ts';

/** The bytes of a drop as the object store hands them over (an S3 GetObject body is both). */
export type DropBody = AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream;

export type DropTextEncoding = 'utf-8' | 'gb18030';

/**
 * How the text encoding was decided: a UTF-8 byte-order mark, the object's `charset` metadata,
 * detection (the first non-ASCII bytes are not valid UTF-8 → GB18030), or the file is pure ASCII.
 */
export type EncodingEvidence = 'bom' | 'metadata' | 'detected' | 'ascii';

export type OnEncoding = (encoding: DropTextEncoding, evidence: EncodingEvidence) => void;

/**
 * Bytes looked at, from the first non-ASCII byte on, to decide between UTF-8 and GB18030. Both
 * encodings read ASCII alike, so an ASCII prefix of any length passes through undecided; GB18030 text
 * that stays valid UTF-8 for 64 KiB does not occur in practice.
 */
export const ENCODING_SNIFF_BYTES = 64 * 1024;

const EMPTY = Buffer.alloc(0);

/** Reads a chunk stream with the ability to gather a prefix of a given size first. */
class ChunkReader {
  private readonly iterator: AsyncIterator<Buffer>;
  ended = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  async next(): Promise<Buffer | undefined> {
    if (this.ended) return undefined;
    const result = await this.iterator.next();
    if (result.done) {
      this.ended = true;
      return undefined;
    }
    return result.value;
  }

  /** `head` followed by further chunks until at least `size` bytes or the end, as one buffer. */
  async gather(size: number, head: Buffer = EMPTY): Promise<Buffer> {
    const parts = head.length > 0 ? [head] : [];
    let length = head.length;
    while (length < size) {
      const chunk = await this.next();
      if (chunk === undefined) break;
      parts.push(chunk);
      length += chunk.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  }

  async *rest(): AsyncGenerator<Buffer> {
    for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next()) yield chunk;
  }

  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.iterator.return?.();
    }
  }
}

/** Normalises the body's chunks to non-empty Buffers. */
export async function* bodyChunks(body: DropBody): AsyncGenerator<Buffer> {
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    if (typeof chunk === 'string') {
      if (chunk.length > 0) yield Buffer.from(chunk, 'utf8');
    } else if (chunk.byteLength > 0) {
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
}

async function* prepend(head: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  yield* rest;
}

function isZlibError(err: unknown): err is Error {
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * Inflates the stream when it is gzip. The magic bytes decide, not the `.gz` name or a
 * Content-Encoding: an object named `.csv.gz` may reach us already inflated, and a compressed one may
 * come without either hint; a CSV file never starts with 1f 8b.
 */
export async function* gunzipIfCompressed(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
): AsyncGenerator<Buffer> {
  const reader = new ChunkReader(chunks);
  try {
    const head = await reader.gather(2);
    if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) {
      yield* prepend(head, reader.rest());
      return;
    }
    const inflated = pipeline(Readable.from(prepend(head, reader.rest())), createGunzip(), () => {});
    try {
      for await (const chunk of inflated) yield chunk as Buffer;
    } catch (err) {
      if (isZlibError(err)) {
        throw new DropFileError(fileName, 'corrupt-gzip', `not a valid gzip stream: ${err.message}`);
      }
      throw err;
    }
  } finally {
    await reader.close();
  }
}

/** Maps the object's `charset` metadata to the decoder; unknown names are refused rather than guessed. */
export function declaredEncoding(
  charset: string | undefined,
  fileName: string,
): DropTextEncoding | undefined {
  if (charset === undefined || charset.trim() === '') return undefined;
  const name = charset.trim().toLowerCase().replace(/_/g, '-');
  if (['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(name)) return 'utf-8';
  // GBK and GB2312 are subsets of GB18030; producers sometimes name the older standard.
  if (['gb18030', 'gb-18030', 'gbk', 'gb2312', 'cp936'].includes(name)) return 'gb18030';
  throw new DropFileError(
    fileName,
    'unsupported-charset',
    `unsupported charset "${charset}" (expected UTF-8 or GB18030)`,
  );
}

function isValidUtf8Prefix(bytes: Buffer, complete: boolean): boolean {
  try {
    // `stream: true` leaves a character cut at the end of the prefix undecided instead of invalid.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * Node's own GB18030 decoder (the WHATWG TextDecoder over ICU), streaming: a character cut between chunks
 * waits for its next bytes, and invalid bytes become U+FFFD, which the row validation rejects. It needs
 * Node built with full ICU, the default of Node's own builds and of Lambda's runtimes; on one without,
 * the first GB18030 drop fails with this message instead of being misread.
 */
function gb18030Decoder(): TextDecoder {
  try {
    return new TextDecoder('gb18030');
  } catch (error) {
    throw new Error(
      `this Node.js runtime cannot decode GB18030 (built without full ICU: ${String(process.versions.icu)}): ${(error as Error).message}`,
    );
  }
}

function firstNonAsciiIndex(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return i;
  return -1;
}

/**
 * Turns the (already inflated) bytes into UTF-8 bytes without a BOM, for the CSV parser. A UTF-8 BOM
 * wins over metadata (no GB18030 header starts with those bytes); then `charset` metadata; otherwise the
 * text after the first non-ASCII byte is checked (see ENCODING_SNIFF_BYTES). Invalid bytes later in a
 * file decided as UTF-8 come out as U+FFFD, which the row validation rejects.
 */
export async function* decodeToUtf8(
  chunks: AsyncIterable<Buffer>,
  declared: DropTextEncoding | undefined,
  onEncoding?: OnEncoding,
): AsyncGenerator<Buffer> {
  const reader = new ChunkReader(chunks);
  try {
    let head = await reader.gather(3);
    let encoding: DropTextEncoding;
    if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      head = head.subarray(3);
      encoding = 'utf-8';
      onEncoding?.(encoding, 'bom');
    } else if (declared !== undefined) {
      encoding = declared;
      onEncoding?.(encoding, 'metadata');
    } else {
      let chunk: Buffer | undefined = head;
      while (chunk !== undefined && isAscii(chunk)) {
        if (chunk.length > 0) yield chunk;
        chunk = await reader.next();
      }
      if (chunk === undefined) {
        onEncoding?.('utf-8', 'ascii');
        return;
      }
      const first = firstNonAsciiIndex(chunk);
      if (first > 0) yield chunk.subarray(0, first);
      head = await reader.gather(ENCODING_SNIFF_BYTES, chunk.subarray(first));
      encoding = isValidUtf8Prefix(head, reader.ended) ? 'utf-8' : 'gb18030';
      onEncoding?.(encoding, 'detected');
    }

    if (encoding === 'utf-8') {
      yield* prepend(head, reader.rest());
      return;
    }
    const decoder = gb18030Decoder();
    for await (const chunk of prepend(head, reader.rest())) {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield Buffer.from(text, 'utf8');
    }
    const tail = decoder.decode();
    if (tail.length > 0) yield Buffer.from(tail, 'utf8');
  } finally {
    await reader.close();
  }
}
