import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand } from '@aws-sdk/client-sns';
import { AmbiguousSendError } from '#services/ports/errors.ts';
import type { MessageProviders } from '#services/ports/providers.ts';
import { sesSendClient, snsClient, snsSendClient } from './clients.ts';

/**
 * SES v2 for email, SNS for SMS. A send makes one attempt and throws AmbiguousSendError when the message
 * may have been accepted though no answer says so (clients.ts, aws-errors.ts).
 */
export const awsMessageProviders: MessageProviders = {
  async sendEmail(message) {
    const out = await sesSendClient().send(
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
    // Accepted (2xx) but without the id that ties its events to the notice: the message is out.
    if (out.MessageId === undefined) throw new AmbiguousSendError(new Error('SES returned no MessageId'));
    return { messageId: out.MessageId };
  },
  async sendSms(message) {
    const attributes: NonNullable<ConstructorParameters<typeof PublishCommand>[0]['MessageAttributes']> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (message.senderId !== undefined && message.senderId !== '') {
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: message.senderId };
    }
    const out = await snsSendClient().send(
      new PublishCommand({
        PhoneNumber: message.phoneNumber,
        Message: message.text,
        MessageAttributes: attributes,
      }),
    );
    if (out.MessageId === undefined) throw new AmbiguousSendError(new Error('SNS returned no MessageId'));
    return { messageId: out.MessageId };
  },
  async isPhoneOptedOut(phoneNumber) {
    const out = await snsClient().send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }));
    return out.isOptedOut === true;
  },
};

/** SES tag values allow only letters, digits, _ - . @ */
const sanitiseTag = (value: string): string => value.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256);
