/*
 * The operator function's saved, shareable Lambda console test events: one per operator command, with
 * realistic placeholders, so an operator picks one from the console's "Test" tab instead of typing it
 * from the README. Pure data (infra may not import the services; test/unit parses every event with the
 * operator's own schema, `OperatorCommand`, and checks that every command has an event).
 *
 * Where the console keeps shareable events: the EventBridge schema registry `lambda-testevent-schemas`,
 * one schema per function named `_<function name>-schema`, of type OpenApi3, the events under
 * `components.examples` as `{ "<event name>": { "value": <event> } }`.
 */

/** The registry the Lambda console reads shareable test events from (one per account and region). */
export const TEST_EVENT_REGISTRY = 'lambda-testevent-schemas';

/** The name of a function's schema in that registry, as the console looks it up. */
export const testEventSchemaName = (functionName: string): string => `_${functionName}-schema`;

/** One saved event: the console shows `name` (letters, digits, `.`, `-`, `_`, at most 25 characters). */
export interface OperatorTestEvent {
  readonly name: string;
  readonly event: Readonly<Record<string, unknown>>;
}

/** An account id of the demo population's form, and the periods and dates around a November billing day. */
const ACCOUNT = '3100010000';
const PERIOD = '2026-10';
const BY = '王经理';

/**
 * The events, one per command (list-runs twice: by period and by status). `dropBucket` is the stack's
 * drop bucket (a CloudFormation token in the stack), the only bucket `run-drop` reads.
 */
export function operatorTestEvents(dropBucket: string): readonly OperatorTestEvent[] {
  return [
    {
      name: 'run-drop',
      event: {
        command: 'run-drop',
        bucket: dropBucket,
        key: `drops/reads/${PERIOD}/meter-reads-${PERIOD}.csv`,
      },
    },
    {
      name: 'run-drop-dry-run',
      event: {
        command: 'run-drop',
        bucket: dropBucket,
        key: `drops/reads/${PERIOD}/meter-reads-${PERIOD}.csv`,
        dryRun: true,
      },
    },
    { name: 'get-run', event: { command: 'get-run', runId: 'meter-reads#0123456789abcdef0123456789abcdef' } },
    { name: 'list-runs-by-period', event: { command: 'list-runs', period: PERIOD } },
    { name: 'list-runs-by-status', event: { command: 'list-runs', status: 'FAILED' } },
    { name: 'show-bill', event: { command: 'show-bill', accountId: ACCOUNT, period: PERIOD } },
    { name: 'list-notices', event: { command: 'list-notices', accountId: ACCOUNT } },
    { name: 'release-deferred', event: { command: 'release-deferred' } },
    { name: 'check-drops', event: { command: 'check-drops' } },
    { name: 'list-dead-letters', event: { command: 'list-dead-letters', sample: 3 } },
    { name: 'redrive', event: { command: 'redrive', queue: 'Notifications/NoticeDeadLetters' } },
    { name: 'reconcile-uncertain', event: { command: 'reconcile-uncertain' } },
    { name: 'list-follow-ups', event: { command: 'list-follow-ups', overdueOnly: false } },
    {
      name: 'close-follow-up',
      event: {
        command: 'close-follow-up',
        accountId: ACCOUNT,
        followUpId: `${PERIOD}#V1#bill-preview#email#0123456789abcdef#call-me`,
        by: '王经理',
        note: '已致电客户，解释了需量合同调整建议',
      },
    },
    { name: 'escalate-follow-ups', event: { command: 'escalate-follow-ups' } },
    {
      name: 'set-key-override',
      event: {
        command: 'set-key-override',
        override: {
          kind: 'key-status',
          accountId: ACCOUNT,
          status: 'always',
          reason: 'Strategic account: keep on the key-account list this year',
          setOn: '2026-11-01',
          expiresOn: '2027-10-31',
          setBy: BY,
        },
      },
    },
    {
      name: 'waive-penalty',
      event: {
        command: 'waive-penalty',
        accountId: ACCOUNT,
        by: BY,
        reason: 'Penalty waived: the bank transfer was delayed by the bank, receipt on file',
      },
    },
    { name: 'list-pending-approvals', event: { command: 'list-pending-approvals' } },
    {
      name: 'approve-disconnection',
      event: { command: 'approve-disconnection', accountId: ACCOUNT, by: BY, note: 'Reminders unanswered' },
    },
    {
      name: 'defer-disconnection',
      event: {
        command: 'defer-disconnection',
        accountId: ACCOUNT,
        newDate: '2026-12-01',
        by: BY,
        reason: 'Payment promised by the end of November',
      },
    },
    {
      // Beyond the official calendar's coverage: the operator confirms the published holidays were checked.
      name: 'defer-beyond-calendar',
      event: {
        command: 'defer-disconnection',
        accountId: ACCOUNT,
        newDate: '2027-01-04',
        confirmWorkingDay: true,
        by: BY,
        reason: 'Payment plan agreed; 2027-01-04 checked against the published 2027 holidays',
      },
    },
    {
      name: 'exempt-disconnection',
      event: {
        command: 'exempt-disconnection',
        accountId: ACCOUNT,
        by: BY,
        reason: 'Hospital: supply must not be interrupted',
        until: '2027-01-31',
      },
    },
    { name: 'list-held-bills', event: { command: 'list-held-bills', period: PERIOD } },
    {
      name: 'release-bill',
      event: {
        command: 'release-bill',
        accountId: ACCOUNT,
        period: PERIOD,
        version: 1,
        by: BY,
        reason: 'Checked with metering: the new CT (multiplier 4000) was fitted on 10-12, reads are right',
      },
    },
    { name: 'migrate-recipient-keys', event: { command: 'migrate-recipient-keys' } },
  ];
}

/**
 * The schema's content as the console writes it: an OpenAPI 3 document whose `components.examples` are the
 * events; `components.schemas.Event` describes what every command has in common.
 */
export function testEventSchemaDocument(events: readonly OperatorTestEvent[]): Record<string, unknown> {
  const commands = [...new Set(events.map((e) => e.event.command as string))];
  return {
    openapi: '3.0.0',
    info: { version: '1.0.0', title: 'Event' },
    paths: {},
    components: {
      schemas: {
        Event: {
          type: 'object',
          required: ['command'],
          properties: { command: { type: 'string', enum: commands } },
        },
      },
      examples: Object.fromEntries(events.map((e) => [e.name, { value: e.event }])),
    },
  };
}
