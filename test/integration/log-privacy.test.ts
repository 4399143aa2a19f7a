import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { dynamoStores } from '#adapters/dynamodb/index.ts';
import { RECIPIENT_KEY_PATTERN } from '#domain/recipient-key.ts';
import { maskEmail, maskPhone } from '#notify/index.ts';
import { LOCAL_NAMES, runBillingCycle } from '../../local/runner/billing-cycle.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';

/*
 * Issue #11, item 6: a log line that holds a recipient's masked address and the recipient's key lets
 * whoever can compute keys pick the number among the mask's ~10⁴ candidates. This runs the demo's billing
 * cycle with the handlers' logs on, captures every line they write, and looks for any line holding both.
 */

const RECIPIENT_KEY = new RegExp(RECIPIENT_KEY_PATTERN);
/** A recipient key in an id, keyed or of the unkeyed form before #11 (`…#sms#3fa9c2d1e0b47a65`). */
const ANY_RECIPIENT_KEY = new RegExp(`#(?:${RECIPIENT_KEY_PATTERN}|[0-9a-f]{16})\\b`);
/** What maskPhone and maskEmail leave: `+86138****5678`, `z***@p***.cn`. */
const MASKED = /\*{3,}/;

describe('logs of a billing cycle (local stack, demo run)', () => {
  let stack: LocalStack;
  const lines: string[] = [];
  let contacts: string[] = [];

  beforeAll(async () => {
    stack = await startLocalStack();
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    const writes = { out: process.stdout.write, err: process.stderr.write };
    const capture = (chunk: unknown) => {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.trim() !== ''),
      );
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
      await runBillingCycle({ stack, accounts: 6, period: '2026-10' });
    } finally {
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
      process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    }
    const accounts = await dynamoStores(documentClient(), LOCAL_NAMES.table).accounts.listAccounts();
    contacts = accounts
      .flatMap((a) => [...a.contacts.flatMap((c) => [c.email, c.phone]), a.accountManager.email])
      .filter((address): address is string => address !== undefined);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('captured the handlers’ lines, notices named by their keyed id among them (the check is not vacuous)', () => {
    const previewsSent = lines.filter(
      (line) => line.includes('notice sent') && line.includes('bill-preview'),
    );
    // Six accounts with an email and a phone each, less any bill held for review (no preview).
    expect(previewsSent.length).toBeGreaterThanOrEqual(8);
    for (const line of previewsSent) expect(line).toMatch(RECIPIENT_KEY);
  });

  it('never puts a masked address and a recipient key on the same line', () => {
    expect(lines.filter((line) => MASKED.test(line) && ANY_RECIPIENT_KEY.test(line))).toEqual([]);
  });

  it('never logs a full phone number or email address, nor a masked one of a recipient', () => {
    expect(contacts.length).toBeGreaterThan(0);
    const digits = (address: string) => address.replace(/\D/g, '').slice(-11);
    for (const address of contacts) {
      const forms = address.includes('@')
        ? [address, maskEmail(address)]
        : [address, digits(address), maskPhone(address)];
      for (const form of forms) {
        expect(
          lines.filter((line) => line.includes(form)),
          form,
        ).toEqual([]);
      }
    }
  });
});
