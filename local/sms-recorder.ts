/**
 * SMS recorder: a stand-in for Amazon SNS "Publish to a phone number", which no emulator on the registry
 * covers (fauxqs requires a TopicArn). It speaks the awsQuery protocol that @aws-sdk/client-sns uses
 * (form-encoded POST, XML reply), so handler code reaches it through AWS_ENDPOINT_URL_SNS alone.
 *
 * Faults for tests: `failNext(n, kind)` fails the next n Publish calls; `setThrottleRate(f, seed)` throttles
 * a seeded-random fraction of them. A throttle is answered the way SNS models it (`Throttled`, HTTP 429),
 * which the SDK turns into `ThrottledException`, a throttling error its retry strategy retries.
 * Failed calls record nothing, as a refused call delivers nothing.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '#domain/seeded-random.ts';
import { readBoundedBody } from './read-body.ts';

export interface SmsMessageAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64, as it travels on the wire. */
  binaryValue?: string;
}

export interface RecordedSms {
  messageId: string;
  phoneNumber: string;
  message: string;
  /** By attribute name, e.g. `AWS.SNS.SMS.SMSType`, `AWS.SNS.SMS.SenderID`. */
  attributes: Record<string, SmsMessageAttribute>;
  /** ISO-8601 instant the recorder accepted the message. */
  at: string;
}

export type SmsFaultKind = 'throttle' | 'invalid';

export interface RejectedSms {
  phoneNumber?: string;
  code: 'Throttled' | 'InvalidParameter';
  at: string;
}

export interface SmsRecorder {
  /** Base URL to use as AWS_ENDPOINT_URL_SNS. */
  readonly url: string;
  /** Accepted messages, oldest first (a copy). */
  messages(): RecordedSms[];
  /** Publish calls answered with an error, injected or not, oldest first (a copy). */
  rejected(): RejectedSms[];
  /** Forgets messages and rejections, and cancels pending faults and the throttle rate. */
  clear(): void;
  /** The next `count` Publish calls fail with `kind` (added to any faults already pending). */
  failNext(count: number, kind: SmsFaultKind): void;
  /** Throttles each Publish with probability `fraction` (0 turns it off); a seed makes the run repeatable. */
  setThrottleRate(fraction: number, seed?: number): void;
  /** `CheckIfPhoneNumberIsOptedOut` answers true for these numbers. */
  setOptedOut(phoneNumber: string, optedOut: boolean): void;
  stop(): Promise<void>;
}

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** SNS accepts E.164 numbers only. */
const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_BODY_BYTES = 1024 * 1024;

class SnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'Throttled' | 'InvalidParameter' | 'InvalidAction' | 'ValidationError',
    message: string,
  ) {
    super(message);
  }
}

export async function startSmsRecorder(opts: { port?: number; host?: string } = {}): Promise<SmsRecorder> {
  const host = opts.host ?? '127.0.0.1';
  let recorded: RecordedSms[] = [];
  let rejections: RejectedSms[] = [];
  let pendingFaults: SmsFaultKind[] = [];
  let throttleRate = 0;
  let random: () => number = Math.random;
  const optedOut = new Set<string>();

  const publish = (params: URLSearchParams): string => {
    const phoneNumber = params.get('PhoneNumber') ?? undefined;
    const rejection = (status: number, code: RejectedSms['code'], message: string): SnsError => {
      rejections.push({ phoneNumber, code, at: new Date().toISOString() });
      return new SnsError(status, code, message);
    };
    const fault = pendingFaults.shift();
    if (fault === 'throttle' || (fault === undefined && throttleRate > 0 && random() < throttleRate)) {
      throw rejection(429, 'Throttled', 'Rate exceeded');
    }
    if (fault === 'invalid') {
      throw rejection(
        400,
        'InvalidParameter',
        'Invalid parameter: PhoneNumber Reason: rejected (injected fault)',
      );
    }
    if (phoneNumber === undefined || phoneNumber === '') {
      throw rejection(
        400,
        'InvalidParameter',
        'Invalid parameter: PhoneNumber Reason: the SMS recorder only accepts Publish to a phone number',
      );
    }
    if (!E164.test(phoneNumber)) {
      throw rejection(
        400,
        'InvalidParameter',
        `Invalid parameter: PhoneNumber Reason: ${phoneNumber} is not valid to publish to`,
      );
    }
    const message = params.get('Message') ?? '';
    if (message === '') throw rejection(400, 'InvalidParameter', 'Invalid parameter: Empty message');
    const messageId = randomUUID();
    recorded.push({
      messageId,
      phoneNumber,
      message,
      attributes: readMessageAttributes(params),
      at: new Date().toISOString(),
    });
    return `<PublishResult><MessageId>${messageId}</MessageId></PublishResult>`;
  };

  const handle = (action: string | null, params: URLSearchParams): string => {
    switch (action) {
      case 'Publish':
        return publish(params);
      case 'GetSMSAttributes':
        return '<GetSMSAttributesResult><attributes/></GetSMSAttributesResult>';
      case 'CheckIfPhoneNumberIsOptedOut': {
        const phoneNumber = params.get('phoneNumber') ?? '';
        if (phoneNumber === '') throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: phoneNumber');
        return `<CheckIfPhoneNumberIsOptedOutResult><isOptedOut>${optedOut.has(phoneNumber)}</isOptedOut></CheckIfPhoneNumberIsOptedOutResult>`;
      }
      default:
        throw new SnsError(
          400,
          'InvalidAction',
          `The action ${action ?? '(none)'} is not valid for this endpoint.`,
        );
    }
  };

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const params = new URLSearchParams(body);
        // awsQuery also allows parameters in the query string.
        for (const [key, value] of new URL(req.url ?? '/', 'http://x').searchParams) params.set(key, value);
        const action = params.get('Action');
        const result = handle(action, params);
        reply(
          res,
          200,
          `<${action}Response xmlns="${SNS_XMLNS}">${result}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
        );
      })
      .catch((error: unknown) => {
        const e = error instanceof SnsError ? error : new SnsError(400, 'ValidationError', String(error));
        reply(
          res,
          e.status,
          `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    messages: () => recorded.map((m) => ({ ...m, attributes: { ...m.attributes } })),
    rejected: () => rejections.map((r) => ({ ...r })),
    clear() {
      recorded = [];
      rejections = [];
      pendingFaults = [];
      throttleRate = 0;
      random = Math.random;
    },
    failNext(count, kind) {
      if (!Number.isInteger(count) || count < 0)
        throw new RangeError(`failNext count must be >= 0, got ${count}`);
      pendingFaults.push(...Array.from({ length: count }, () => kind));
    },
    setThrottleRate(fraction, seed) {
      if (!(fraction >= 0 && fraction <= 1))
        throw new RangeError(`throttle rate must be in [0, 1], got ${fraction}`);
      throttleRate = fraction;
      random = seed === undefined ? Math.random : seededRandom(seed);
    },
    setOptedOut(phoneNumber, isOptedOut) {
      if (isOptedOut) optedOut.add(phoneNumber);
      else optedOut.delete(phoneNumber);
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`. */
function readMessageAttributes(params: URLSearchParams): Record<string, SmsMessageAttribute> {
  const attributes: Record<string, SmsMessageAttribute> = {};
  for (let n = 1; params.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const prefix = `MessageAttributes.entry.${n}`;
    const name = params.get(`${prefix}.Name`) ?? '';
    const attribute: SmsMessageAttribute = { dataType: params.get(`${prefix}.Value.DataType`) ?? 'String' };
    const stringValue = params.get(`${prefix}.Value.StringValue`);
    const binaryValue = params.get(`${prefix}.Value.BinaryValue`);
    if (stringValue !== null) attribute.stringValue = stringValue;
    if (binaryValue !== null) attribute.binaryValue = binaryValue;
    attributes[name] = attribute;
  }
  return attributes;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  readBoundedBody(req, MAX_BODY_BYTES, () => new SnsError(400, 'ValidationError', 'Request body too large'));

function reply(res: ServerResponse, status: number, xml: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  res.writeHead(status, {
    'content-type': 'text/xml; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
