import { readFileSync } from 'node:fs';
import { buildKeybillApp } from '../infra/keybill-app.ts';

/*
 * How many CloudWatch alarms of the synthesised stack have no alarm action (should be 0: every alarm
 * notifies the alarm topic). Synthesised as `cdk synth` does, with cdk.json's context and cdk-nag, minus
 * the bundling of the handlers (the template is all that is counted).
 */
export function alarmsWithoutAction(): { alarms: number; withoutAction: number } {
  const context = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context as Record<
    string,
    unknown
  >;
  const { app, stack } = buildKeybillApp({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties?: { AlarmActions?: unknown[] } }>;
  };
  const alarms = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  return {
    alarms: alarms.length,
    withoutAction: alarms.filter((a) => (a.Properties?.AlarmActions ?? []).length === 0).length,
  };
}
