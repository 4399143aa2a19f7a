import { readdirSync, readFileSync } from 'node:fs';

/*
 * What a bundle can do with the table, read from the code rather than from a run: the DynamoDB actions
 * of every store method (shared/adapters/dynamodb/, a method's own commands and those of the private
 * helpers it calls) and which of those methods a bundle calls (`.name(` or a reference `.name`; esbuild
 * keeps property names and drops the services a handler does not reach). An upper bound of what the
 * handler can call on any path, including the error and rare ones a run does not reach.
 */

const STORES_DIR = 'shared/adapters/dynamodb';

/** What a line of a store method asks DynamoDB for, as IAM action @ table or index. */
const LINE_ACTIONS: [RegExp, string][] = [
  [/\bGetCommand\(/, 'GetItem@table'],
  [/\bBatchGetCommand\(/, 'BatchGetItem@table'],
  [/\bQueryCommand\(|\.queryAll\(|\.queryPrefix\(/, 'Query@table'],
  [/\bPutCommand\(|\.putIf\(|\bPut: \{/, 'PutItem@table'],
  [/\.putAll\(|\bBatchWriteCommand\(/, 'BatchWriteItem@table'],
  [/\bUpdateCommand\(|\.updateIf\(|\bUpdate: \{/, 'UpdateItem@table'],
  [/\bDeleteCommand\(|\bDelete: \{/, 'DeleteItem@table'],
  [/\bConditionCheck: \{/, 'ConditionCheckItem@table'],
];
const INDEX_QUERY = /queryIndex\('(gsi\d)'|IndexName: '(gsi\d)'/;
const METHOD = /^ {2}(private )?(?:async )?([a-zA-Z]+)(?:<[^>]*>)?\(/;
/** DynamoTable's own helpers: their callers' lines name what they do. */
const HELPERS = new Set(['queryAll', 'queryPrefix', 'queryIndex', 'putIf', 'putAll', 'updateIf']);

/** Every store method with the actions it (and the private methods it calls) may take. */
export function storeMethodActions(dir = STORES_DIR): Map<string, Set<string>> {
  const methods = new Map<string, Set<string>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'table.ts')) {
    const own = new Map<string, Set<string>>();
    const calls = new Map<string, Set<string>>();
    // Private methods are reached through the public ones (their own calls `this.x(` sit in every bundle).
    const privateMethods = new Set<string>();
    let current: string | undefined;
    for (const line of readFileSync(`${dir}/${file}`, 'utf8').split('\n')) {
      if (/^export (class|function)/.test(line)) current = undefined;
      const match = METHOD.exec(line);
      const method = match?.[2];
      if (method !== undefined && method !== 'constructor') {
        current = method;
        if (match?.[1] !== undefined) privateMethods.add(method);
        own.set(current, own.get(current) ?? new Set());
        calls.set(current, calls.get(current) ?? new Set());
        continue;
      }
      if (current === undefined) continue;
      for (const [pattern, action] of LINE_ACTIONS) if (pattern.test(line)) own.get(current)!.add(action);
      const index = INDEX_QUERY.exec(line);
      if (index !== null) own.get(current)!.add(`Query@${index[1] ?? index[2]}`);
      for (const call of line.matchAll(/this\.([a-zA-Z]+)\(/g)) calls.get(current)!.add(call[1]!);
    }
    const resolve = (name: string, seen: Set<string>): Set<string> => {
      const all = new Set(own.get(name));
      for (const callee of calls.get(name) ?? []) {
        if (own.has(callee) && !seen.has(callee))
          for (const a of resolve(callee, seen.add(callee))) all.add(a);
      }
      return all;
    };
    for (const name of own.keys()) {
      if (HELPERS.has(name) || privateMethods.has(name)) continue;
      const actions = resolve(name, new Set([name]));
      if (actions.size > 0) methods.set(name, new Set([...(methods.get(name) ?? []), ...actions]));
    }
  }
  return methods;
}

/** The actions of the store methods a bundle calls: `{ actions on the table, queried indexes }`. */
export function tableActionsOfBundle(bundlePath: string, methods: Map<string, Set<string>>) {
  const code = readFileSync(bundlePath, 'utf8');
  const taken = new Set<string>();
  for (const [name, actions] of methods) {
    if (new RegExp(`\\.${name}(?![\\w$])`).test(code)) for (const a of actions) taken.add(a);
  }
  const onTable = [...taken].filter((a) => a.endsWith('@table')).map((a) => a.split('@')[0]!);
  const indexes = [...taken].filter((a) => !a.endsWith('@table')).map((a) => a.split('@')[1]!);
  return { actions: onTable.sort(), queriedIndexes: indexes.sort() };
}
