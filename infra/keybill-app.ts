import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD } from './constructs/sms-spend-alarm.ts';
import { KeybillStack, type KeybillStackProps } from './keybill-stack.ts';
import { MAX_CONCURRENCY } from './wiring-values.ts';

export type KeybillSettings = Omit<KeybillStackProps, keyof import('aws-cdk-lib').StackProps>;

/** Defaults of the context keys in cdk.json; `-c key=value` on the command line overrides them. */
export const DEFAULT_SETTINGS: KeybillSettings = {
  sesFromAddress: 'billing@example.com',
  createSesIdentity: false,
  smsSenderId: '',
  quietHours: '21:00-08:00',
  senderMaxConcurrency: MAX_CONCURRENCY['send-notice'],
  smsMonthlySpendLimitUsd: DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD,
};

/** Context values arrive as JSON from cdk.json but as strings from `-c key=value`. */
function contextBoolean(app: App, key: string, fallback: boolean): boolean {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

function contextNumber(app: App, key: string, fallback: number): number {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`context ${key} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

function contextString(app: App, key: string, fallback: string): string {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return fallback;
  if (typeof value !== 'string')
    throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function settingsFromContext(app: App): KeybillSettings {
  return {
    sesFromAddress: contextString(app, 'sesFromAddress', DEFAULT_SETTINGS.sesFromAddress),
    createSesIdentity: contextBoolean(app, 'createSesIdentity', DEFAULT_SETTINGS.createSesIdentity),
    smsSenderId: contextString(app, 'smsSenderId', DEFAULT_SETTINGS.smsSenderId),
    quietHours: contextString(app, 'quietHours', DEFAULT_SETTINGS.quietHours),
    senderMaxConcurrency: contextNumber(app, 'senderMaxConcurrency', DEFAULT_SETTINGS.senderMaxConcurrency),
    smsMonthlySpendLimitUsd: contextNumber(
      app,
      'smsMonthlySpendLimitUsd',
      DEFAULT_SETTINGS.smsMonthlySpendLimitUsd,
    ),
    // Optional: validated where the subscription is made (infra/constructs/alarm-topic.ts).
    alarmEmail: contextString(app, 'alarmEmail', ''),
    feedCalendar: app.node.tryGetContext('feedCalendar'),
    arrearsPolicy: contextString(app, 'arrearsPolicy', ''),
  };
}

export interface KeybillApp {
  readonly app: App;
  readonly stack: KeybillStack;
  readonly nag: AwsSolutionsChecks;
}

/**
 * The app with its one stack and cdk-nag's AwsSolutions pack as a synthesis-time validation plugin (cdk-nag
 * v3): an unacknowledged finding fails `cdk synth`.
 */
export function buildKeybillApp(props: AppProps = {}): KeybillApp {
  const app = new App(props);
  const stack = new KeybillStack(app, 'Keybill', {
    stackName: contextString(app, 'stackName', 'keybill'),
    description: 'keybill: key-account billing, bill previews and arrears warnings',
    ...settingsFromContext(app),
  });
  Tags.of(app).add('project', 'keybill');
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { app, stack, nag };
}
