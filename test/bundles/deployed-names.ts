import type { AwsCall } from '../../local/runner/aws-call-recorder.ts';
import { partitionOf } from '../../local/runner/aws-partition.ts';
import type { SynthesizedStack } from '../../local/runner/synthesized-stack.ts';
import type { TemplateValues } from '../../local/runner/template-values.ts';

/*
 * The local stack names its table, bucket, queues, schedule group and sender differently from the
 * deployed stack. A function's environment says which is which: the same variable holds the local
 * value in the pipeline and the template's value in the stack. This turns a recorded call's ARNs into
 * the ARNs the deployed stack's resources would have, so they can be checked against its policies.
 */

const lastSegment = (url: string) => url.split('/').at(-1) ?? url;

function namePairs(stack: SynthesizedStack, values: TemplateValues, localEnv: Record<string, string>) {
  const pairs = new Map<string, string>();
  for (const fn of stack.functions) {
    for (const [variable, templateValue] of Object.entries(fn.environment)) {
      const local = localEnv[variable];
      const deployed = values.resolve(templateValue);
      if (!local || typeof deployed !== 'string' || local === deployed) continue;
      const labelled = labelledUrlPairs(local, deployed);
      if (labelled !== undefined) {
        for (const [l, d] of labelled) pairs.set(l, d);
      } else if (/^https?:\/\//.test(local) && /^https?:\/\//.test(deployed)) {
        pairs.set(lastSegment(local), lastSegment(deployed));
      } else if (local.includes('@') && deployed.includes('@')) {
        pairs.set(local.split('@')[1]!, deployed.split('@')[1]!);
      } else {
        pairs.set(local, deployed);
      }
    }
  }
  return [...pairs].sort(([a], [b]) => b.length - a.length);
}

/**
 * A list of labelled queues (DEAD_LETTER_QUEUES: `[{ name, url }]`): the local and the deployed queue of
 * each label, by the URLs' last segments; undefined when the values are not such lists.
 */
function labelledUrlPairs(local: string, deployed: string): [string, string][] | undefined {
  const parse = (value: string): Map<string, string> | undefined => {
    if (!value.startsWith('[')) return undefined;
    try {
      const entries = JSON.parse(value) as { name?: unknown; url?: unknown }[];
      return new Map(
        entries
          .filter((e) => typeof e.name === 'string' && typeof e.url === 'string')
          .map((e) => [e.name as string, lastSegment(e.url as string)]),
      );
    } catch {
      return undefined;
    }
  };
  const localByLabel = parse(local);
  const deployedByLabel = parse(deployed);
  if (localByLabel === undefined || deployedByLabel === undefined) return undefined;
  return [...localByLabel]
    .filter(([label]) => deployedByLabel.has(label))
    .map(([label, url]) => [url, deployedByLabel.get(label)!]);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A function turning local ARNs into the deployed stack's. */
export function deployedArns(
  stack: SynthesizedStack,
  values: TemplateValues,
  localEnv: Record<string, string>,
) {
  const pairs = namePairs(stack, values, localEnv).map(
    ([local, deployed]) =>
      [new RegExp(`(?<=^|[:/])${escapeRegExp(local)}(?=$|[:/])`, 'g'), deployed] as const,
  );
  const { region, account } = values.scope;
  const partition = partitionOf(region).name;
  return (arn: string): string => {
    // A whole ARN (a role) or a name inside one (a table, a queue, a domain).
    const renamed = pairs.reduce((out, [pattern, deployed]) => out.replace(pattern, deployed), arn);
    return (
      renamed
        // DynamoDB Local's own region and account, and its stream labels.
        .replace(
          /^arn:aws[a-z-]*:([a-z0-9-]+):[a-z0-9-]+:\d{12}:/,
          `arn:${partition}:$1:${region}:${account}:`,
        )
        .replace(/\/stream\/[^/]+$/, '/stream/local')
    );
  };
}

export function inDeployedNames(calls: readonly AwsCall[], toDeployed: (arn: string) => string): AwsCall[] {
  return calls.map((c) => ({ ...c, resources: c.resources.map(toDeployed) }));
}

/** A template value (resolved) with the deployed stack's names replaced by the local stack's. */
export function localNames(
  stack: SynthesizedStack,
  values: TemplateValues,
  localEnv: Record<string, string>,
) {
  const toLocal = new Map(namePairs(stack, values, localEnv).map(([local, deployed]) => [deployed, local]));
  const rename = (value: unknown): unknown => {
    if (typeof value === 'string') return toLocal.get(value) ?? value;
    if (Array.isArray(value)) return value.map(rename);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]));
    }
    return value;
  };
  return rename;
}
