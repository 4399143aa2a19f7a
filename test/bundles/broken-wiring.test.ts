import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import type { AwsCall } from '../../local/runner/aws-call-recorder.ts';
import { s3ObjectCreatedEvent } from '../../local/runner/aws-events.ts';
import { assertRouted, passesFilters, streamSource } from '../../local/runner/pipeline-wiring.ts';
import { readSynthesizedStack, type TemplateJson } from '../../local/runner/synthesized-stack.ts';
import { TemplateValues } from '../../local/runner/template-values.ts';
import { functionWiring } from '../../local/runner/template-wiring.ts';
import { denials, statementsOfRole } from './role-policies.ts';

/*
 * The seams a first deployment fails on, broken on purpose in a copy of the synthesized template: the
 * runner's wiring read from the broken copy must stop the path (no bill planned, no drop routed, a call
 * refused) and say where. The intact template is run the same way first, so each test proves both sides.
 */

const synthesized = readSynthesizedStack();
const scope = { region: 'cn-north-1', account: '000000000000' };
const copy = (): TemplateJson => structuredClone(synthesized.template);

/** The template's wiring as the runner plays it, rule patterns resolved as deployed. */
const wiringOf = (template: TemplateJson) => {
  const values = new TemplateValues(template, scope);
  return {
    byFunction: (functionName: string) => {
      const own = functionWiring(template, functionName);
      return { ...own, rulePatterns: own.rulePatterns.map((p) => values.resolve(p) as typeof p) };
    },
    environment: {},
  };
};

const resourcesOfType = (template: TemplateJson, type: string) =>
  Object.values(template.Resources).filter((r) => r.Type === type);

const STREAM_ARN = 'arn:aws-cn:dynamodb:cn-north-1:000000000000:table/keybill/stream/local';
const streamRecord = (eventName: 'INSERT' | 'MODIFY', entity: string): StreamRecord => ({
  eventID: `${eventName}-${entity}`,
  eventName,
  dynamodb: { NewImage: { entity: { S: entity }, pk: { S: 'ACCOUNT#1' } }, SequenceNumber: '1' },
});
const WRITES = [
  streamRecord('INSERT', 'BILL'),
  streamRecord('INSERT', 'ANSWER'),
  streamRecord('INSERT', 'READ'),
];

/** The table writes the runner's stream mapping hands to plan-notices under this template. */
const plannedFrom = (template: TemplateJson) => {
  const { filters } = streamSource(wiringOf(template), 'keybill-plan-notices');
  return WRITES.filter(passesFilters(filters, STREAM_ARN)).map((r) => r.eventID);
};

/** Rewrites the planner's stream filter in place. */
function breakStreamFilter(template: TemplateJson, rewrite: (pattern: string) => string): void {
  const [mapping] = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(
    (r) => r.Properties?.FilterCriteria !== undefined,
  );
  const criteria = mapping!.Properties!.FilterCriteria as { Filters: { Pattern: string }[] };
  for (const filter of criteria.Filters) filter.Pattern = rewrite(filter.Pattern);
}

describe('a broken stream filter', () => {
  it('plans the new bill versions and answers through the intact template', () => {
    expect(plannedFrom(copy())).toEqual(['INSERT-BILL', 'INSERT-ANSWER']);
  });

  it('plans no bill when the filter asks for MODIFY instead of INSERT', () => {
    const broken = copy();
    breakStreamFilter(broken, (p) => p.replace('"INSERT"', '"MODIFY"'));
    expect(plannedFrom(broken), 'new bill versions reach plan-notices').toEqual([]);
  });

  it('plans no bill when the filter drops the BILL entity', () => {
    const broken = copy();
    breakStreamFilter(broken, (p) => p.replace('"BILL",', ''));
    expect(plannedFrom(broken)).toEqual(['INSERT-ANSWER']);
  });
});

describe('a broken rule pattern', () => {
  const dropEvent = (template: TemplateJson, key: string) => {
    const [pattern] = wiringOf(template).byFunction('keybill-ingest-drop').rulePatterns;
    const bucket = (pattern as { detail: { bucket: { name: string[] } } }).detail.bucket.name[0]!;
    return s3ObjectCreatedEvent({ bucket, key, size: 1, etag: 'e' });
  };
  const route = (template: TemplateJson, key: string) => () =>
    assertRouted(
      wiringOf(template).byFunction('keybill-ingest-drop').rulePatterns,
      dropEvent(template, key),
      key,
    );
  const KEY = 'drops/reads/2026-10/meter-reads-2026-10.csv';

  it('routes a meter-read drop to ingest-drop through the intact template', () => {
    expect(route(copy(), KEY)).not.toThrow();
  });

  it('routes no drop when the prefix drops/ becomes drop/, and says which object was not routed', () => {
    const broken = copy();
    for (const rule of resourcesOfType(broken, 'AWS::Events::Rule')) {
      if (rule.Properties?.EventPattern !== undefined)
        rule.Properties.EventPattern = JSON.parse(
          JSON.stringify(rule.Properties.EventPattern).replaceAll('"drops/', '"drop/'),
        );
    }
    expect(route(broken, KEY)).toThrow(
      `no EventBridge rule of the template routes the Object Created event of ${KEY} to ingest-drop`,
    );
  });
});

describe('a broken grant', () => {
  const sender = synthesized.functionByHandler('send-notice');
  const refusals = (template: TemplateJson) => {
    const values = new TemplateValues(template, scope);
    const identity = `arn:aws-cn:ses:${scope.region}:${scope.account}:identity/billing@example.com`;
    const send: AwsCall = {
      functionName: sender.functionName,
      action: 'ses:SendEmail',
      resources: [identity],
      requestBytes: 0,
      responseBytes: 0,
    };
    return denials([send], statementsOfRole(template, values, sender.roleLogicalId)).map(
      (d) => `${d.functionName}: ${d.action} on ${d.resource} is ${d.decision} by its role`,
    );
  };

  it("lets send-notice send as the preview sender's identity through the intact template", () => {
    expect(refusals(copy())).toEqual([]);
  });

  it('refuses the send once ses:SendEmail is removed, naming the function, action and resource', () => {
    const broken = copy();
    for (const policy of resourcesOfType(broken, 'AWS::IAM::Policy')) {
      const document = policy.Properties?.PolicyDocument as { Statement: { Action: unknown }[] } | undefined;
      if (document === undefined) continue;
      document.Statement = document.Statement.filter((s) => JSON.stringify(s.Action) !== '"ses:SendEmail"');
    }
    expect(refusals(broken)).toEqual([
      `keybill-send-notice: ses:SendEmail on arn:aws-cn:ses:cn-north-1:000000000000:identity/billing@example.com is not allowed by its role`,
    ]);
  });

  it('refuses the send in China once the grant spells its partition arn:aws: instead of AWS::Partition', () => {
    const broken = copy();
    for (const policy of resourcesOfType(broken, 'AWS::IAM::Policy')) {
      const document = policy.Properties?.PolicyDocument as {
        Statement: { Action: unknown; Resource: unknown }[];
      };
      for (const statement of document?.Statement ?? []) {
        if (JSON.stringify(statement.Action) !== '"ses:SendEmail"') continue;
        statement.Resource = JSON.parse(
          JSON.stringify(statement.Resource).replaceAll('{"Ref":"AWS::Partition"}', '"aws"'),
        );
      }
    }
    expect(refusals(broken)).toEqual([
      `keybill-send-notice: ses:SendEmail on arn:aws-cn:ses:cn-north-1:000000000000:identity/billing@example.com is not allowed by its role`,
    ]);
  });
});
