import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { priceTableProblems, readPrices, unverifiedFigures } from '../../../../scripts/cost/prices.ts';

const TABLE_FILE = 'scripts/cost/aws-prices-2026-11.json';
/** The table as plain JSON, to break on purpose: every section an object of whatever values. */
type Section = Record<string, unknown>;
type EditableTable = {
  [section in 'lambda' | 'ses' | 'sms' | 'xray' | 'sqs' | 'sources']: Section;
} & { currency: unknown; asOf: unknown };
const table = () => JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as EditableTable;

describe('the price table of npm run cost', () => {
  it('has a dated source for every figure, and says which figures no source verified', () => {
    expect(priceTableProblems(table())).toEqual([]);
    const prices = readPrices(TABLE_FILE);
    expect(unverifiedFigures(prices)).toContain('sms.perMessagePart');
    for (const source of Object.values(prices.sources)) expect(source.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses a figure without a source, and a source that prices nothing', () => {
    const broken = table();
    delete broken.sources['sqs.perMillionRequests'];
    broken.sources['sqs.perMillionFifoRequests'] = broken.sources['sqs.perMillionRequests'] ?? {};
    expect(priceTableProblems(broken)).toEqual(
      expect.arrayContaining([
        'sqs.perMillionRequests has no source',
        'sources.sqs.perMillionFifoRequests prices nothing',
      ]),
    );
  });

  it('refuses hostile values: negative, missing, text or infinite prices, unknown figures, bad sources', () => {
    const broken = table();
    broken.lambda.gbSecondArm64 = -1;
    broken.ses.perThousandEmails = '0.10';
    delete broken.sms.perMessagePart;
    broken.xray.perMillionTracesRecorded = Number.POSITIVE_INFINITY;
    broken.sqs.perMillionFifoRequests = 0.5;
    broken.sources['s3.storageGbMonth'] = {
      status: 'trust me',
      url: 'http://x',
      read: 'yesterday',
      version: '',
    };
    broken.currency = 'CNY';
    broken.asOf = 'November';
    const problems = priceTableProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'lambda.gbSecondArm64 must be a price: a finite number, 0 or more',
        'ses.perThousandEmails must be a price: a finite number, 0 or more',
        'sms.perMessagePart must be a price: a finite number, 0 or more',
        'xray.perMillionTracesRecorded must be a price: a finite number, 0 or more',
        'sqs.perMillionFifoRequests is not a known figure',
        's3.storageGbMonth: status must be one of aws, secondary, unverified, estimate',
        's3.storageGbMonth: url must be an https address',
        's3.storageGbMonth: read must be the day the page was read, YYYY-MM-DD',
        's3.storageGbMonth: version must say which version of the page was read',
        's3.storageGbMonth: note must be a string (empty for none)',
        'currency must be USD (the messaging and compute lines add up)',
        'asOf must be a date, YYYY-MM-DD',
      ]),
    );
    expect(priceTableProblems(null)).toEqual(['the price table is not a JSON object']);
    expect(priceTableProblems('prices')).toEqual(['the price table is not a JSON object']);
  });
});
