import { describe, expect, it } from 'vitest';
import { functionNamed, HANDLERS, onFailureQueueId, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('functions', () => {
  it.each(HANDLERS)('%s runs Node.js 24 on arm64 with active tracing and Powertools settings', (name) => {
    expect(functionNamed(template, name).properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: name, POWERTOOLS_METRICS_NAMESPACE: 'keybill' } },
    });
  });

  it.each(HANDLERS)(
    '%s logs to its own log group kept for one month and has no reserved concurrency',
    (name) => {
      const fn = functionNamed(template, name).properties;
      const logGroupId = (fn.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(template.toJSON().Resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
      });
      expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    },
  );

  it('size ingest-drop for a whole drop: 1,769 MB and 15 minutes; others default to 1,024 MB and 30 s', () => {
    expect(functionNamed(template, 'ingest-drop').properties).toMatchObject({
      MemorySize: 1769,
      Timeout: 900,
    });
    expect(functionNamed(template, 'send-notice').properties).toMatchObject({
      MemorySize: 1024,
      Timeout: 30,
    });
  });

  it.each(['ingest-drop', 'record-delivery', 'arrears-scan', 'rank-accounts'])(
    '%s (invoked asynchronously) sends events that failed every retry to an alarmed dead-letter queue',
    (name) => {
      const { id } = functionNamed(template, name);
      const configs = template.findResources('AWS::Lambda::EventInvokeConfig', {
        Properties: { FunctionName: { Ref: id } },
      });
      const [config] = Object.values(configs) as Array<{ Properties: Record<string, unknown> }>;
      expect(config?.Properties).toMatchObject({ MaximumRetryAttempts: 2 });
      const queueId = onFailureQueueId(config!.Properties);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    },
  );
});
