import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeToUtf8 } from '#ingest/decode.ts';

/*
 * GB18030 drops are decoded by Node's own TextDecoder (ICU), not a bundled table: whatever a producer's
 * GB18030 encoder (iconv-lite here, as an independent one) writes comes back exactly, however the bytes
 * are cut into chunks; bytes that are not GB18030 come out as U+FFFD, which the row validation rejects.
 */

async function decoded(bytes: Buffer, chunkSize: number): Promise<string> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const out: Buffer[] = [];
  for await (const part of decodeToUtf8(chunks(), 'gb18030')) out.push(part);
  return Buffer.concat(out).toString('utf8');
}

/**
 * Text iconv-lite can encode: any string without unpaired surrogates, outside the Private Use Area.
 * iconv-lite writes GB18030-2005, where 18 two-byte codes stood for private-use characters; GB18030-2022
 * (the standard in force, and what Node's decoder reads) gives them standard characters instead (below).
 */
const wellFormed = fc
  .string({ unit: 'binary', maxLength: 120 })
  .filter((s) => s.isWellFormed())
  .filter((s) => !/[\uE000-\uF8FF]/.test(s))
  .filter((s) => !s.startsWith('\uFEFF'));

describe('GB18030 decoding', () => {
  it('gives back exactly the text a GB18030 encoder wrote, at any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(wellFormed, fc.integer({ min: 1, max: 9 }), async (text, chunkSize) => {
        expect(await decoded(iconv.encode(text, 'gb18030'), chunkSize)).toBe(text);
      }),
      { numRuns: 400 },
    );
  });

  it('reads the four-byte ranges and the supplementary planes', async () => {
    const text = '€ 𠀀 😀 ḿ ǹ 〾 ⿰ 龥 \u00A5 \u0080';
    expect(await decoded(iconv.encode(text, 'gb18030'), 1)).toBe(text);
  });

  it.each([
    ['A6D9', [0xa6, 0xd9], '\uFE10'],
    ['A6F3', [0xa6, 0xf3], '\uFE19'],
    ['FE59', [0xfe, 0x59], '\u9FB4'],
    ['FEA0', [0xfe, 0xa0], '\u9FBB'],
  ])(
    'reads %s as GB18030-2022 does (a standard character, no longer private use)',
    async (_, bytes, text) => {
      expect(await decoded(Buffer.from(bytes), 1)).toBe(text);
    },
  );

  it.each([
    ['a lone lead byte', Buffer.from([0x41, 0x81])],
    ['a lead byte before a comma', Buffer.from([0xd6, 0x2c, 0x41])],
    ['a cut four-byte sequence', Buffer.from([0x81, 0x30, 0x81])],
    ['0xFF', Buffer.from([0x41, 0xff, 0x42])],
  ])('turns %s into U+FFFD and keeps the ASCII around it', async (_, bytes) => {
    const text = await decoded(bytes, 2);
    expect(text).toContain('\uFFFD');
    expect(text.replaceAll('\uFFFD', '')).toMatch(/^[A-Z,0-9]*$/);
  });
});
