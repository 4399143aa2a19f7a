import { describe, expect, it } from 'vitest';
import { TABLE_ACCESS } from '../../infra/constructs/table-access.ts';
import { readSynthesizedStack } from '../../local/runner/synthesized-stack.ts';
import { storeMethodActions, tableActionsOfBundle } from './store-calls.ts';

/*
 * Least privilege on the table, proven from the code: each function's grant (TABLE_ACCESS) is exactly
 * what the store methods its bundle calls can ask DynamoDB for, on every path (the bundles run sees only
 * the paths one cycle takes). A grant missing here would be an AccessDenied on some rare path; one too
 * many, a grant nothing calls.
 */

const stack = readSynthesizedStack();
const methods = storeMethodActions();
const withTableGrant = stack.functions.filter((fn) => TABLE_ACCESS[fn.handlerName] !== undefined);

describe("each function's table grant", () => {
  it('reads the DynamoDB actions of the stores (a known method as a sample)', () => {
    expect([...(methods.get('findNoticeByProviderMessageId') ?? [])]).toEqual(['Query@gsi1']);
    expect([...(methods.get('recordBillChunk') ?? [])].sort()).toEqual(['PutItem@table', 'UpdateItem@table']);
  });

  it('covers every function of the template but answers, whose narrower grant is its own', () => {
    const without = stack.functions.map((f) => f.handlerName).filter((h) => TABLE_ACCESS[h] === undefined);
    expect(without).toEqual(['answers']);
  });

  it.each(withTableGrant.map((fn) => [fn.handlerName, fn] as const))(
    '%s is granted exactly what its bundle can call',
    (handlerName, fn) => {
      const granted = TABLE_ACCESS[handlerName]!;
      expect({
        actions: [...granted.actions].sort(),
        queriedIndexes: [...granted.queriedIndexes].sort(),
      }).toEqual(tableActionsOfBundle(fn.bundlePath, methods));
    },
  );
});
