/*
 * EventBridge event patterns, as EventBridge rules and Lambda event filtering (stream and queue filter
 * criteria) evaluate them: every field of the pattern must match; a list of values matches when any of
 * them does, and an event field holding a list matches when any of its elements does; nested objects
 * match field by field. Content filters: `prefix`, `suffix` (each also `{ equals-ignore-case }`),
 * `anything-but` (a value, a list, `{ prefix }` or `{ suffix }`), `numeric` (comparisons ANDed),
 * `exists`, `equals-ignore-case` and `wildcard`. A filter this file does not know (`cidr`) throws, so
 * a pattern is never silently read as matching.
 */

type Pattern = Record<string, unknown>;

export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  if (event === null || typeof event !== 'object') return false;
  const fields = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    const present = Object.hasOwn(fields, key);
    if (Array.isArray(expected)) return expected.some((rule) => matchesRule(rule, present, fields[key]));
    if (expected !== null && typeof expected === 'object')
      return present && matchesPattern(expected as Pattern, fields[key]);
    throw new Error(
      `event pattern field ${key} must be a list or an object, got ${JSON.stringify(expected)}`,
    );
  });
}

function matchesRule(rule: unknown, present: boolean, value: unknown): boolean {
  if (rule !== null && typeof rule === 'object') {
    const filter = rule as Record<string, unknown>;
    if ('exists' in filter) return filter.exists === present;
    if (!present) return false;
    return valuesOf(value).some((v) => matchesFilter(filter, v));
  }
  return present && valuesOf(value).some((v) => v === rule);
}

const valuesOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function matchesFilter(filter: Record<string, unknown>, value: unknown): boolean {
  const [name, argument] = Object.entries(filter)[0] ?? [];
  switch (name) {
    case 'prefix':
      return affix(argument, value, (v, a) => v.startsWith(a));
    case 'suffix':
      return affix(argument, value, (v, a) => v.endsWith(a));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(argument).toLowerCase();
    case 'anything-but':
      return !anythingButExcludes(argument, value);
    case 'numeric':
      return typeof value === 'number' && numeric(argument as unknown[], value);
    case 'wildcard':
      return typeof value === 'string' && wildcard(String(argument)).test(value);
    default:
      throw new Error(`event pattern filter ${JSON.stringify(filter)} is not supported by the local runner`);
  }
}

function affix(argument: unknown, value: unknown, test: (v: string, a: string) => boolean): boolean {
  if (typeof value !== 'string') return false;
  if (argument !== null && typeof argument === 'object') {
    const ignoringCase = String((argument as Record<string, unknown>)['equals-ignore-case']);
    return test(value.toLowerCase(), ignoringCase.toLowerCase());
  }
  return test(value, String(argument));
}

function anythingButExcludes(argument: unknown, value: unknown): boolean {
  if (Array.isArray(argument)) return argument.includes(value);
  if (argument !== null && typeof argument === 'object')
    return matchesFilter(argument as Record<string, unknown>, value);
  return argument === value;
}

function numeric(conditions: unknown[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = Number(conditions[i + 1]);
    const holds = {
      '=': value === bound,
      '<': value < bound,
      '<=': value <= bound,
      '>': value > bound,
      '>=': value >= bound,
    }[String(conditions[i])];
    if (holds !== true) return false;
  }
  return true;
}

const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
