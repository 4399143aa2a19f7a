import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { KeybillFunction } from '../../infra/constructs/keybill-function.ts';
import { DeadLetterQueue } from '../../infra/constructs/queues.ts';
import { buildKeybill, functionNamed, HANDLERS, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

const dashboardBody = (of: Template): string => {
  const dashboards = Object.values(of.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.stringify(dashboards[0]);
};

describe('operations dashboard', () => {
  it('shows the business metrics of namespace keybill and every function', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]);
    for (const metric of ['BillsComputed', 'RowsRejected', 'NoticesSent', 'NoticesFailed']) {
      expect(body).toContain(`MetricName=\\\\\\"${metric}\\\\\\"`);
    }
    for (const name of HANDLERS) expect(body).toContain(functionNamed(template, name).id);
    expect(body).toContain('ApproximateAgeOfOldestMessage');
  });

  it('shows every dead-letter queue of the stack', () => {
    const body = dashboardBody(template);
    // The queue alarms; the functions' error alarms are shown in each function's widget.
    const queueAlarms = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { Namespace: 'AWS/SQS' },
    });
    const alarmedQueues = Object.values(queueAlarms).map(
      (alarm) =>
        (alarm as { Properties: { Dimensions: Array<{ Value: { 'Fn::GetAtt': [string, string] } }> } })
          .Properties.Dimensions[0]!.Value['Fn::GetAtt'][0],
    );
    expect(alarmedQueues).toHaveLength(9);
    for (const queueId of alarmedQueues) expect(body).toContain(`{"Fn::GetAtt":["${queueId}","QueueName"]}`);
  });

  it('finds a function and a dead-letter queue added to the stack after the dashboard, in a new concern', () => {
    const keybill = buildKeybill();
    const newConcern = new Construct(keybill.stack, 'NewConcern');
    const added = new KeybillFunction(newConcern, 'Added', {
      handlerName: 'record-delivery',
      description: 'A function the dashboard was not told about',
    });
    const parked = new DeadLetterQueue(newConcern, 'Parked', {
      purpose: 'A queue the dashboard was not told about',
    });
    const body = dashboardBody(Template.fromStack(keybill.stack));
    const functionId = keybill.stack.getLogicalId(added.function.node.defaultChild as CfnFunction);
    const queueId = keybill.stack.getLogicalId(parked.queue.node.defaultChild as CfnQueue);
    expect(body).toContain(`{"Ref":"${functionId}"}`);
    expect(body).toContain(`{"Fn::GetAtt":["${queueId}","QueueName"]}`);
    expect(body).toContain('NewConcern/Parked');
  });
});
