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
