import { describe, expect, it } from 'vitest';
import { ANSWER_RATE_LIMIT } from '../../infra/concerns/customer-answers.ts';
import { functionNamed, synthKeybill } from './synth.ts';

const { template, stack } = synthKeybill();
const answersRoleId = stack.getLogicalId(stack.answers.answers.role.node.defaultChild as never);

type Statement = {
  Effect: string;
  Action: string | string[];
  Condition?: Record<string, unknown>;
  Sid?: string;
};
const statementsOf = (roleId: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleId),
    )
    .flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe("customers' answers endpoint", () => {
  it('is an HTTP API whose stage throttles every route', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: {
        ThrottlingRateLimit: ANSWER_RATE_LIMIT.rateLimit,
        ThrottlingBurstLimit: ANSWER_RATE_LIMIT.burstLimit,
      },
    });
  });

  it('routes only the link paths, GET and POST, to the answers function', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    expect(routes.sort()).toEqual(['GET /a/{token}', 'GET /s/{code}', 'POST /a/{token}', 'POST /s/{code}']);
  });

  it('lets its function write answers and follow-ups only (PutItem on ANSWER# and FOLLOWUP# keys)', () => {
    const statements = statementsOf(answersRoleId);
    const dynamoWrites = statements.filter((s) =>
      actionsOf(s).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite|TransactWrite)/.test(a)),
    );
    expect(dynamoWrites).toHaveLength(1);
    expect(actionsOf(dynamoWrites[0]!)).toEqual(['dynamodb:PutItem']);
    expect(dynamoWrites[0]!.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ANSWER#*', 'FOLLOWUP#*'] },
    });
    const everything = statements.flatMap(actionsOf);
    expect(everything.filter((a) => /^(sqs|ses|sns|s3):/.test(a))).toEqual([]);
  });

  it('gives the function the signing key by ARN only: the key is in no environment variable in clear', () => {
    const secretId = stack.getLogicalId(stack.linkSigningKey.secret.node.defaultChild as never);
    expect(functionNamed(template, 'answers').properties.Environment).toMatchObject({
      Variables: { LINK_SIGNING_SECRET_ID: { Ref: secretId } },
    });
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const variables = JSON.stringify(
        (fn as { Properties: { Environment?: unknown } }).Properties.Environment ?? {},
      );
      expect(variables).not.toMatch(/SecretString|resolve:secretsmanager|GenerateSecretString/);
    }
  });

  it('tells the sender where the links point', () => {
    const variables = (
      functionNamed(template, 'send-notice').properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(JSON.stringify(variables.ANSWER_BASE_URL)).toContain('ApiEndpoint');
  });

  it('escalates overdue follow-ups every working hour through the operator function', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9-17 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
    });
  });
});
