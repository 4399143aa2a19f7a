import { createHash } from 'node:crypto';
import { arnIn, partitionOf } from './aws-partition.ts';
import type { Json, TemplateJson } from './synthesized-stack.ts';

/*
 * The template's values as they would be once deployed, in one made-up account and region: intrinsic
 * functions (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) resolved, every resource given its
 * physical name (the name the template sets, else its logical id) and its ARN in AWS's format for its type.
 * Policies, environment variables and event-source mappings can then be compared as strings.
 */

export interface DeployScope {
  readonly region: string;
  readonly account: string;
}

const NAME_PROPERTY: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::SES::ConfigurationSet': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
};

/** Six letters and digits, the same for the same logical id. */
function madeUpSuffix(logicalId: string): string {
  const digest = createHash('sha256')
    .update(logicalId)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '');
  return digest.slice(0, 6);
}

export class TemplateValues {
  constructor(
    private readonly template: TemplateJson,
    readonly scope: DeployScope,
  ) {}

  /** The resource's physical name once deployed. */
  physicalName(logicalId: string): string {
    const resource = this.resource(logicalId);
    const property = NAME_PROPERTY[resource.Type];
    const named = property === undefined ? undefined : resource.Properties?.[property];
    if (named !== undefined) return String(this.resolve(named));
    return resource.Type === 'AWS::S3::Bucket' ? logicalId.toLowerCase() : logicalId;
  }

  /** What `{ Ref }` answers for the resource. */
  ref(logicalId: string): string {
    const pseudo = this.pseudo(logicalId);
    if (pseudo !== undefined) return pseudo;
    const { Type } = this.resource(logicalId);
    const name = this.physicalName(logicalId);
    switch (Type) {
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.scope.region}.${partitionOf(this.scope.region).urlSuffix}/${this.scope.account}/${name}`;
      case 'AWS::SNS::Topic':
      case 'AWS::SecretsManager::Secret':
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        return this.arn(logicalId);
      default:
        return name;
    }
  }

  /** What `{ Fn::GetAtt: [id, attribute] }` answers. */
  getAtt(logicalId: string, attribute: string): string {
    const { Type } = this.resource(logicalId);
    if (attribute === 'Arn') return this.arn(logicalId);
    if (Type === 'AWS::DynamoDB::Table' && attribute === 'StreamArn')
      return `${this.arn(logicalId)}/stream/local`;
    if (Type === 'AWS::SQS::Queue' && attribute === 'QueueUrl') return this.ref(logicalId);
    if (attribute.endsWith('Name')) return this.physicalName(logicalId);
    return `${logicalId}.${attribute}`;
  }

  arn(logicalId: string): string {
    const { Type } = this.resource(logicalId);
    const name = this.physicalName(logicalId);
    const arn = (service: string, resource: string) => arnIn(this.scope, service, resource);
    switch (Type) {
      case 'AWS::DynamoDB::Table':
        return arn('dynamodb', `table/${name}`);
      case 'AWS::S3::Bucket':
        return arn('s3', name);
      case 'AWS::IAM::Role':
        return arn('iam', `role/${name}`);
      case 'AWS::Lambda::Function':
        return arn('lambda', `function:${name}`);
      case 'AWS::Logs::LogGroup':
        return arn('logs', `log-group:${name}:*`);
      case 'AWS::KMS::Key':
        return arn('kms', `key/${name}`);
      case 'AWS::Scheduler::ScheduleGroup':
        return arn('scheduler', `schedule-group/${name}`);
      case 'AWS::Events::Rule':
        return arn('events', `rule/${name}`);
      case 'AWS::SecretsManager::Secret':
        // AWS ends a secret's ARN with six random characters after its name; here, made up from the id.
        return arn('secretsmanager', `secret:${name}-${madeUpSuffix(logicalId)}`);
      default:
        return arn(Type.split('::')[1]!.toLowerCase(), name);
    }
  }

  /** A template value with every intrinsic function resolved. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Json);
    const [key, argument] = entries[0] ?? [];
    if (entries.length !== 1 || key === undefined) {
      return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
    }
    switch (key) {
      case 'Ref':
        return this.ref(String(argument));
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
        return this.getAtt(String(id), String(attribute));
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.resolve(parts) as unknown[]).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [number, unknown];
        return (this.resolve(list) as unknown[])[Number(index)];
      }
      case 'Fn::Split': {
        const [separator, text] = argument as [string, unknown];
        return String(this.resolve(text)).split(separator);
      }
      case 'Fn::Sub':
        return this.sub(argument);
      default:
        return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
    }
  }

  private sub(argument: unknown): string {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
    return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      const own = (variables as Json)[name];
      if (own !== undefined) return String(this.resolve(own));
      const [id, attribute] = name.split('.');
      return attribute === undefined ? this.ref(id!) : this.getAtt(id!, attribute);
    });
  }

  private pseudo(name: string): string | undefined {
    switch (name) {
      case 'AWS::Partition':
        return partitionOf(this.scope.region).name;
      case 'AWS::Region':
        return this.scope.region;
      case 'AWS::AccountId':
        return this.scope.account;
      case 'AWS::URLSuffix':
        return partitionOf(this.scope.region).urlSuffix;
      case 'AWS::StackName':
        return 'keybill';
      default:
        return undefined;
    }
  }

  private resource(logicalId: string) {
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) throw new Error(`the template has no resource ${logicalId}`);
    return resource;
  }
}
