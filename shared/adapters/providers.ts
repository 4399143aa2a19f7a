import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand } from '@aws-sdk/client-sns';
import { AmbiguousSendError } from '#services/ports/errors.ts';
import type { MessageProviders, SendHooks } from '#services/ports/providers.ts';
import { sesSendClient, snsClient, snsSendClient } from './clients.ts';

/**
 * SES v2 for email, SNS for SMS. A send makes one attempt and throws AmbiguousSendError when the message
 * may have been accepted though no answer says so (clients.ts, aws-errors.ts).
 */
export const awsMessageProviders: MessageProviders = {
  async sendEmail(message, hooks) {
    const out = await sesSendClient().send(
      transmitting(
        hooks,
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
      ),
    );
    // Accepted (2xx) but without the id that ties its events to the notice: the message is out.
    if (out.MessageId === undefined) throw new AmbiguousSendError(new Error('SES returned no MessageId'));
    return { messageId: out.MessageId };
  },
  async sendSms(message, hooks) {
    const attributes: NonNullable<ConstructorParameters<typeof PublishCommand>[0]['MessageAttributes']> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (message.senderId !== undefined && message.senderId !== '') {
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: message.senderId };
    }
    const out = await snsSendClient().send(
      transmitting(
        hooks,
        new PublishCommand({
          PhoneNumber: message.phoneNumber,
          Message: message.text,
          MessageAttributes: attributes,
        }),
      ),
    );
    if (out.MessageId === undefined) throw new AmbiguousSendError(new Error('SNS returned no MessageId'));
    return { messageId: out.MessageId };
  },
  async isPhoneOptedOut(phoneNumber) {
    const out = await snsClient().send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }));
    return out.isOptedOut === true;
  },
};

type Next = (args: unknown) => Promise<unknown>;
interface HasMiddlewareStack {
  middlewareStack: { add(...args: never[]): void };
}

/**
 * Runs `hooks.beforeTransmit` as the innermost step of this one command: after serialising and signing,
 * right before the HTTP handler writes the request, so "started" is recorded as late as it can be.
 */
function transmitting<C extends HasMiddlewareStack>(hooks: SendHooks | undefined, command: C): C {
  const beforeTransmit = hooks?.beforeTransmit;
  if (beforeTransmit === undefined) return command;
  (command.middlewareStack.add as (m: (next: Next) => Next, o: object) => void).call(
    command.middlewareStack,
    (next: Next) => async (args: unknown) => {
      await beforeTransmit();
      return next(args);
    },
    { step: 'deserialize', priority: 'low', name: 'keybillBeforeTransmit' },
  );
  return command;
}

/** SES tag values allow only letters, digits, _ - . @ */
const sanitiseTag = (value: string): string => value.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256);
