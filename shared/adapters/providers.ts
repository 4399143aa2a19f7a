import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand } from '@aws-sdk/client-sns';
import { sesClient, snsClient } from './clients.ts';

export interface EmailMessage {
  from: string;
  to: string;
  cc?: string[];
  subject: string;
  html: string;
  text: string;
  configurationSet?: string;
  /** Message tags flow back in SES events, so a delivery event finds its notice. */
  tags?: Record<string, string>;
}

export interface SmsMessage {
  phoneNumber: string;
  text: string;
  senderId?: string;
}

/** The two ways the product reaches a person; the sender service depends on this, not on the SDKs. */
export interface MessageProviders {
  sendEmail(message: EmailMessage): Promise<{ messageId: string }>;
  sendSms(message: SmsMessage): Promise<{ messageId: string }>;
  /** Whether the number opted out of SMS with the provider (replying STOP, or the carrier's list). */
  isPhoneOptedOut(phoneNumber: string): Promise<boolean>;
}

export const awsMessageProviders: MessageProviders = {
  async sendEmail(message) {
    const out = await sesClient().send(
      new SendEmailCommand({
        FromEmailAddress: message.from,
        Destination: { ToAddresses: [message.to], CcAddresses: message.cc },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: message.html, Charset: 'UTF-8' },
              Text: { Data: message.text, Charset: 'UTF-8' },
            },
          },
        },
        ConfigurationSetName: message.configurationSet,
        EmailTags: Object.entries(message.tags ?? {}).map(([Name, Value]) => ({
          Name,
          Value: sanitiseTag(Value),
        })),
      }),
    );
    if (out.MessageId === undefined) throw new Error('SES returned no MessageId');
    return { messageId: out.MessageId };
  },
  async sendSms(message) {
    const attributes: NonNullable<ConstructorParameters<typeof PublishCommand>[0]['MessageAttributes']> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (message.senderId !== undefined && message.senderId !== '') {
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: message.senderId };
    }
    const out = await snsClient().send(
      new PublishCommand({
        PhoneNumber: message.phoneNumber,
        Message: message.text,
        MessageAttributes: attributes,
      }),
    );
    if (out.MessageId === undefined) throw new Error('SNS returned no MessageId');
    return { messageId: out.MessageId };
  },
  async isPhoneOptedOut(phoneNumber) {
    const out = await snsClient().send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }));
    return out.isOptedOut === true;
  },
};

/** SES tag values allow only letters, digits, _ - . @ */
const sanitiseTag = (value: string): string => value.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256);

/**
 * Throttling and provider-side failures are worth another try; anything else (a rejected address, a
 * malformed request) fails the same way again and is recorded instead.
 */
export function isRetryableProviderError(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable !== undefined) return true;
  const name = e.name ?? '';
  if (
    /Throttl|TooManyRequests|LimitExceeded|RequestLimit|ServiceUnavailable|InternalError|InternalFailure/i.test(
      name,
    )
  ) {
    return true;
  }
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  // Network failures carry no HTTP status at all.
  return (
    status === undefined &&
    /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|TimeoutError/i.test(
      `${name} ${(error as Error).message}`,
    )
  );
}
