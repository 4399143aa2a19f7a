import { readFileSync } from 'node:fs';

/*
 * The dated price table `npm run cost` reads (scripts/cost/aws-prices-*.json), refused when a figure has
 * no source: every price names the page it was read on, when, which version of the page, and how far
 * that verifies it. The figures the table could not verify are printed with every cost.
 */

export interface Prices {
  asOf: string;
  currency: string;
  region: string;
  lambda: { gbSecondArm64: number; gbSecondX86: number; perMillionRequests: number };
  dynamodb: {
    perMillionWriteRequestUnits: number;
    perMillionReadRequestUnits: number;
    storageGbMonth: number;
  };
  sqs: { perMillionRequests: number };
  s3: { perThousandPutRequests: number; perThousandGetRequests: number; storageGbMonth: number };
  scheduler: { perMillionInvocations: number };
  logs: { ingestionPerGb: number; storageGbMonth: number; bytesPerInvocationEstimate: number };
  xray: { perMillionTracesRecorded: number };
  ses: { perThousandEmails: number };
  sms: { perMessagePart: number };
  sources: Record<string, PriceSource>;
}

/** aws: read on an AWS page; secondary: a third party quoting AWS's price; unverified: no source found. */
export const SOURCE_STATUSES = ['aws', 'secondary', 'unverified', 'estimate'] as const;

export interface PriceSource {
  status: (typeof SOURCE_STATUSES)[number];
  url: string;
  /** The day the page was read, YYYY-MM-DD. */
  read: string;
  /** Which version of the page: its date, title or publication, as it says. */
  version: string;
  note: string;
}

/** Every numeric figure of the table by its dotted path (`lambda.gbSecondArm64`). */
function figures(table: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(table).flatMap(([key, value]) => {
    if (key === 'sources' && prefix === '') return [];
    const path = `${prefix}${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return figures(value as Record<string, unknown>, `${path}.`);
    }
    return typeof value === 'number' ? [[path, value] as [string, unknown]] : [];
  });
}

const REQUIRED: readonly string[] = [
  'lambda.gbSecondArm64',
  'lambda.gbSecondX86',
  'lambda.perMillionRequests',
  'dynamodb.perMillionWriteRequestUnits',
  'dynamodb.perMillionReadRequestUnits',
  'dynamodb.storageGbMonth',
  'sqs.perMillionRequests',
  's3.perThousandPutRequests',
  's3.perThousandGetRequests',
  's3.storageGbMonth',
  'scheduler.perMillionInvocations',
  'logs.ingestionPerGb',
  'logs.storageGbMonth',
  'logs.bytesPerInvocationEstimate',
  'xray.perMillionTracesRecorded',
  'ses.perThousandEmails',
  'sms.perMessagePart',
];

/** The problems of a price table: missing or negative figures, figures without a source, bad sources. */
export function priceTableProblems(json: unknown): string[] {
  if (json === null || typeof json !== 'object') return ['the price table is not a JSON object'];
  const table = json as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof table.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(table.asOf)) {
    problems.push('asOf must be a date, YYYY-MM-DD');
  }
  if (table.currency !== 'USD')
    problems.push('currency must be USD (the messaging and compute lines add up)');
  const found = new Map(figures(table));
  for (const path of REQUIRED) {
    const value = found.get(path);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`${path} must be a price: a finite number, 0 or more`);
    }
  }
  for (const path of found.keys())
    if (!REQUIRED.includes(path)) problems.push(`${path} is not a known figure`);
  const sources = (table.sources ?? {}) as Record<string, Partial<PriceSource>>;
  for (const path of found.keys()) {
    const source = sources[path];
    if (source === undefined) {
      problems.push(`${path} has no source`);
      continue;
    }
    if (!SOURCE_STATUSES.includes(source.status as PriceSource['status'])) {
      problems.push(`${path}: status must be one of ${SOURCE_STATUSES.join(', ')}`);
    }
    if (typeof source.url !== 'string' || !/^https:\/\/\S+$/.test(source.url)) {
      problems.push(`${path}: url must be an https address`);
    }
    if (typeof source.read !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(source.read)) {
      problems.push(`${path}: read must be the day the page was read, YYYY-MM-DD`);
    }
    if (typeof source.version !== 'string' || source.version.trim() === '') {
      problems.push(`${path}: version must say which version of the page was read`);
    }
    if (typeof source.note !== 'string') problems.push(`${path}: note must be a string (empty for none)`);
  }
  for (const path of Object.keys(sources))
    if (!found.has(path)) problems.push(`sources.${path} prices nothing`);
  return problems;
}

export function readPrices(file: string): Prices {
  const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const problems = priceTableProblems(json);
  if (problems.length > 0)
    throw new Error(`${file} is not a usable price table:\n  ${problems.join('\n  ')}`);
  return json as Prices;
}

/** The figures whose source does not verify them, by path. */
export const unverifiedFigures = (prices: Prices): string[] =>
  Object.entries(prices.sources)
    .filter(([, source]) => source.status === 'unverified')
    .map(([path]) => path);
