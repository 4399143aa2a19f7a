import { describe, expect, it } from 'vitest';
import type { SynthesizedStack } from '../../../../local/runner/synthesized-stack.ts';
import type { DeployedRun } from '../../../../scripts/cost/deployed-run.ts';
import { phaseCost } from '../../../../scripts/cost/phase-cost.ts';
import { readPrices } from '../../../../scripts/cost/prices.ts';

const prices = readPrices('scripts/cost/aws-prices-2026-11.json');
/** One arm64 function of 1 GB, as the template would state it. */
const stack = {
  functions: [
    {
      functionName: 'keybill-send-notice',
      handlerName: 'send-notice',
      architecture: 'arm64',
      memoryMb: 1024,
    },
  ],
} as unknown as SynthesizedStack;
const call = (action: string, phase: 'cycle' | 'arrears-step', requestBytes = 100, responseBytes = 100) => ({
  functionName: 'keybill-send-notice',
  action,
  resources: ['*'],
  requestBytes,
  responseBytes,
  phase,
});
const run: DeployedRun = {
  accounts: 2,
  recordedAt: '2026-12-02T00:00:00Z',
  invocations: [
    { functionName: 'keybill-send-notice', durationMs: 999.2, phase: 'cycle' },
    { functionName: 'keybill-send-notice', durationMs: 50, phase: 'arrears-step' },
  ],
  calls: [
    call('ses:SendEmail', 'cycle'),
    call('dynamodb:PutItem', 'cycle', 2500),
    call('dynamodb:GetItem', 'cycle', 100, 5000),
    call('ses:SendEmail', 'arrears-step'),
    call('ses:SendEmail', 'arrears-step'),
  ],
  smsParts: { cycle: 3, 'arrears-step': 10, operator: 0 },
};

describe('the price of one phase of the bundles run', () => {
  it('prices only its own phase, SMS per message part and emails per email, scaled', () => {
    const cycle = phaseCost(run, 'cycle', 10, prices, stack);
    expect(cycle.emails).toBe(10);
    expect(cycle.smsParts).toBe(30);
    expect(cycle.invocations).toBe(10);
    expect(cycle.lines['sms parts (messaging)']).toBeCloseTo(30 * prices.sms.perMessagePart);
    expect(cycle.lines['ses email (messaging)']).toBeCloseTo((10 * prices.ses.perThousandEmails) / 1000);
    expect(cycle.messagingUsd).toBeCloseTo(30 * prices.sms.perMessagePart + 0.001);
    const arrears = phaseCost(run, 'arrears-step', 1, prices, stack);
    expect(arrears.emails).toBe(2);
    expect(arrears.smsParts).toBe(10);
  });

  it('bills Lambda by the rounded-up millisecond at the memory and architecture of the template', () => {
    const cycle = phaseCost(run, 'cycle', 1, prices, stack);
    expect(cycle.lines['lambda send-notice']).toBeCloseTo(1 * 1 * prices.lambda.gbSecondArm64, 12);
  });

  it('counts a write per started KB and a read per started 4 KB', () => {
    const cycle = phaseCost(run, 'cycle', 1, prices, stack);
    expect(cycle.lines['dynamodb writes']).toBeCloseTo(
      (3 / 1e6) * prices.dynamodb.perMillionWriteRequestUnits,
      12,
    );
    expect(cycle.lines['dynamodb reads']).toBeCloseTo(
      (2 / 1e6) * prices.dynamodb.perMillionReadRequestUnits,
      12,
    );
  });

  it('prices a phase that did nothing at zero', () => {
    const operator = phaseCost(run, 'operator', 1000, prices, stack);
    expect(operator.computeStorageUsd).toBe(0);
    expect(operator.messagingUsd).toBe(0);
  });
});
