import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../../local/runner/event-pattern.ts';

const s3Event = {
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: 'drops' }, object: { key: 'drops/reads/2026-10/a.csv', size: 120 } },
  resources: ['arn:aws:s3:::drops'],
};

describe('EventBridge event patterns', () => {
  it('matches exact values, any of a list, and nested fields', () => {
    expect(
      matchesPattern({ source: ['aws.s3'], detail: { bucket: { name: ['other', 'drops'] } } }, s3Event),
    ).toBe(true);
    expect(matchesPattern({ source: ['aws.ses'] }, s3Event)).toBe(false);
    expect(matchesPattern({ detail: { bucket: { name: ['Drops'] } } }, s3Event)).toBe(false);
  });

  it('matches an event field holding a list when any element matches', () => {
    expect(matchesPattern({ resources: ['arn:aws:s3:::drops'] }, s3Event)).toBe(true);
  });

  it('applies prefix and suffix, also ignoring case', () => {
    expect(
      matchesPattern(
        { detail: { object: { key: [{ prefix: 'drops/payments/' }, { prefix: 'drops/reads/' }] } } },
        s3Event,
      ),
    ).toBe(true);
    expect(matchesPattern({ detail: { object: { key: [{ prefix: 'reads/' }] } } }, s3Event)).toBe(false);
    expect(matchesPattern({ detail: { object: { key: [{ suffix: '.CSV' }] } } }, s3Event)).toBe(false);
    expect(
      matchesPattern(
        { detail: { object: { key: [{ suffix: { 'equals-ignore-case': '.CSV' } }] } } },
        s3Event,
      ),
    ).toBe(true);
  });

  it('applies anything-but to a value, a list and a prefix', () => {
    expect(matchesPattern({ source: [{ 'anything-but': 'aws.ses' }] }, s3Event)).toBe(true);
    expect(matchesPattern({ source: [{ 'anything-but': ['aws.s3', 'aws.ses'] }] }, s3Event)).toBe(false);
    expect(matchesPattern({ source: [{ 'anything-but': { prefix: 'aws.' } }] }, s3Event)).toBe(false);
  });

  it('applies exists, numeric ranges, equals-ignore-case and wildcard', () => {
    expect(matchesPattern({ detail: { object: { etag: [{ exists: false }] } } }, s3Event)).toBe(true);
    expect(matchesPattern({ detail: { object: { size: [{ exists: true }] } } }, s3Event)).toBe(true);
    expect(
      matchesPattern({ detail: { object: { size: [{ numeric: ['>', 100, '<=', 120] }] } } }, s3Event),
    ).toBe(true);
    expect(matchesPattern({ detail: { object: { size: [{ numeric: ['<', 100] }] } } }, s3Event)).toBe(false);
    expect(matchesPattern({ 'detail-type': [{ 'equals-ignore-case': 'object created' }] }, s3Event)).toBe(
      true,
    );
    expect(
      matchesPattern({ detail: { object: { key: [{ wildcard: 'drops/*/2026-10/*.csv' }] } } }, s3Event),
    ).toBe(true);
  });

  it('matches a DynamoDB stream record with the filter the stack puts on plan-notices', () => {
    const filter = { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['BILL'] } } } };
    const record = (eventName: string, entity: string) => ({
      eventName,
      dynamodb: { NewImage: { entity: { S: entity } } },
    });
    expect(matchesPattern(filter, record('INSERT', 'BILL'))).toBe(true);
    expect(matchesPattern(filter, record('MODIFY', 'BILL'))).toBe(false);
    expect(matchesPattern(filter, record('INSERT', 'NOTICE'))).toBe(false);
  });

  it('refuses a filter it does not implement instead of reading it as a match', () => {
    expect(() => matchesPattern({ source: [{ cidr: '10.0.0.0/8' }] }, s3Event)).toThrow(/not supported/);
  });
});
