import type { AwsCall } from '../../local/runner/aws-call-recorder.ts';
import { arnIn } from '../../local/runner/aws-partition.ts';
import type { TemplateJson } from '../../local/runner/synthesized-stack.ts';
import type { TemplateValues } from '../../local/runner/template-values.ts';

/*
 * The KMS calls AWS makes on a caller's behalf, authorised by the caller's own role, when it uses a
 * resource encrypted with a customer managed key (the local emulators encrypt nothing, so they are
 * derived from the template): sending to an SQS queue or publishing to an SNS topic needs
 * kms:GenerateDataKey and kms:Decrypt, receiving from the queue kms:Decrypt; writing an object to an
 * SSE-KMS bucket kms:GenerateDataKey, reading it kms:Decrypt; reading a secret kms:Decrypt. AWS managed keys (`alias/aws/…`) need no
 * grant in the role. DynamoDB tables are out of scope: DynamoDB uses the key through grants of its own.
 */

const IMPLIED: Record<string, string[]> = {
  'sqs:SendMessage': ['kms:GenerateDataKey', 'kms:Decrypt'],
  'sqs:ReceiveMessage': ['kms:Decrypt'],
  'sns:Publish': ['kms:GenerateDataKey', 'kms:Decrypt'],
  's3:PutObject': ['kms:GenerateDataKey'],
  's3:GetObject': ['kms:Decrypt'],
  'secretsmanager:GetSecretValue': ['kms:Decrypt'],
};

/** The customer managed key of each encrypted queue, topic, bucket and secret, by the resource's ARN. */
function customerKeysByResource(template: TemplateJson, values: TemplateValues): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const p = resource.Properties ?? {};
    const sse = (
      p.BucketEncryption as
        | {
            ServerSideEncryptionConfiguration?: {
              ServerSideEncryptionByDefault?: { KMSMasterKeyID?: unknown };
            }[];
          }
        | undefined
    )?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
    const secretKey = resource.Type === 'AWS::SecretsManager::Secret' ? p.KmsKeyId : undefined;
    const declared = p.KmsMasterKeyId ?? sse ?? secretKey;
    if (declared === undefined) continue;
    const key = String(values.resolve(declared));
    if (key.startsWith('alias/aws/')) continue;
    const keyArn = key.startsWith('arn:') ? key : arnIn(values.scope, 'kms', `key/${key}`);
    keys.set(values.arn(id), keyArn);
  }
  return keys;
}

export function impliedKmsCalls(
  calls: readonly AwsCall[],
  template: TemplateJson,
  values: TemplateValues,
): AwsCall[] {
  const keys = customerKeysByResource(template, values);
  if (keys.size === 0) return [];
  const keyOf = (resource: string) =>
    [...keys].find(([arn]) => resource === arn || resource.startsWith(`${arn}/`))?.[1];
  return calls.flatMap((call) =>
    (IMPLIED[call.action] ?? []).flatMap((action) =>
      call.resources
        .map(keyOf)
        .filter((key): key is string => key !== undefined)
        .map((key) => ({ ...call, action, resources: [key] })),
    ),
  );
}
