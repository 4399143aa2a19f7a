/*
 * The AWS partition a region belongs to: what CloudFormation's AWS::Partition and AWS::URLSuffix answer
 * there, and so the first field of every ARN a policy is evaluated on. keybill's home is China
 * (cn-north-1, cn-northwest-1), whose ARNs start `arn:aws-cn:`: a policy written with `arn:aws:` there
 * allows nothing.
 */

export interface Partition {
  readonly name: 'aws' | 'aws-cn' | 'aws-us-gov';
  readonly urlSuffix: string;
}

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return { name: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { name: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { name: 'aws', urlSuffix: 'amazonaws.com' };
}

/**
 * A resource's ARN in the partition of the scope's region: S3's carry neither region nor account, IAM's no
 * region (both global services); every other service's both.
 */
export function arnIn(scope: { region: string; account: string }, service: string, resource: string): string {
  const partition = partitionOf(scope.region).name;
  if (service === 's3') return `arn:${partition}:s3:::${resource}`;
  if (service === 'iam') return `arn:${partition}:iam::${scope.account}:${resource}`;
  return `arn:${partition}:${service}:${scope.region}:${scope.account}:${resource}`;
}
