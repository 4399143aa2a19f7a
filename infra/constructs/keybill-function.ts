import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, AssetHashType, DockerImage, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunctionResource,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_TIMEOUT_SECONDS } from '../wiring-values.ts';
import { acknowledge } from './acknowledge.ts';
import { ARREARS_POLICY_FILE, ArrearsPolicyDocument } from './arrears-policy-document.ts';
import { ContactDataKey } from './data-key.ts';
import { buildBundleSync } from './function-bundle.ts';
import { DeadLetterQueue, failureDestination } from './queues.ts';

/** The repository root: handlers live in `functions/<name>/handler.ts`, the lock file next to package.json. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const METRICS_NAMESPACE = 'keybill';

/** Lambda gives a function one full vCPU at 1,769 MB: the size of the functions that stream a whole drop. */
export const ONE_VCPU_MB = 1769;

export interface AsyncInvokeOptions {
  /** Lambda's own retries of a failed asynchronous event. @default 2 */
  readonly retryAttempts?: number;
  /** How long Lambda keeps trying an event before it goes to the dead-letter queue. @default 6 hours */
  readonly maxEventAge?: Duration;
}

export interface KeybillFunctionProps {
  /** The folder under `functions/` holding `handler.ts`; also the Powertools service name. */
  readonly handlerName: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** @default 1024 MB */
  readonly memorySize?: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /**
   * Set when the function is invoked asynchronously (EventBridge rule, Scheduler): an event that still
   * fails after Lambda's retries goes to an on-failure SQS destination, which alarms.
   * @default - synchronous or poll-based triggers only; no dead-letter queue
   */
  readonly asyncInvoke?: AsyncInvokeOptions;
}

/**
 * One Lambda function of the product, with every default decided once: Node.js 24 on arm64, an ESM
 * bundle built by the local esbuild (no Docker), X-Ray tracing, Powertools settings, a log group with a
 * retention, a role of its own that starts with nothing but writing to that log group, and, when it is
 * invoked asynchronously, an alarmed dead-letter queue. The concerns only say what differs: memory,
 * timeout, environment, triggers and grants. The operations dashboard finds every one of them.
 */
export class KeybillFunction extends Construct {
  readonly function: LambdaFunctionResource;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly serviceName: string;
  /** `<stack name>-<handler name>`: operators find the function by it in the console. */
  readonly physicalName: string;
  readonly deadLetterQueue?: DeadLetterQueue;
  /** Fires when an invocation fails (an unhandled error, a timeout, running out of memory). */
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: KeybillFunctionProps) {
    super(scope, id);
    this.serviceName = props.handlerName;
    this.physicalName = `${Stack.of(this).stackName}-${props.handlerName}`;

    // Created explicitly so the retention is set by CloudFormation, not by a log-retention custom resource.
    // Encrypted with the contact-data key: a log line may carry a masked contact or a notice id.
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      encryptionKey: ContactDataKey.of(this).key,
    });

    // An own role instead of the AWSLambdaBasicExecutionRole managed policy: logs go to one known group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `keybill ${props.handlerName} function`,
    });
    this.logGroup.grantWrite(this.role);

    if (props.asyncInvoke !== undefined) {
      this.deadLetterQueue = new DeadLetterQueue(this, 'FailedEvents', {
        purpose: `${props.handlerName}: an asynchronous event failed after every retry`,
      });
    }

    const arrearsPolicy = ArrearsPolicyDocument.of(this);
    this.function = new LambdaFunctionResource(this, 'Function', {
      functionName: this.physicalName,
      description: props.description,
      code: bundledHandler(
        props.handlerName,
        arrearsPolicy === undefined ? {} : { [ARREARS_POLICY_FILE]: arrearsPolicy.json },
      ),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(DEFAULT_TIMEOUT_SECONDS),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.handlerName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...(arrearsPolicy === undefined ? {} : { ARREARS_POLICY_FILE }),
        ...props.environment,
      },
      retryAttempts: props.asyncInvoke?.retryAttempts ?? (props.asyncInvoke ? 2 : undefined),
      maxEventAge: props.asyncInvoke ? (props.asyncInvoke.maxEventAge ?? Duration.hours(6)) : undefined,
      onFailure: this.deadLetterQueue ? failureDestination(this.deadLetterQueue.queue) : undefined,
    });

    // Handlers catch what they expect and report partial batch failures; an invocation error is a bug,
    // a timeout or a crash, so the first one is worth a person's look.
    this.errorsAlarm = new Alarm(this, 'Errors', {
      alarmDescription: `${props.handlerName}: at least one invocation failed (error, timeout or crash); see its logs.`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    acknowledge(
      this.role.node.findChild('DefaultPolicy'),
      'AwsSolutions-IAM5[Resource::*]',
      'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) and dynamodb:ListStreams (stream ' +
        'event source) have no resource-level permissions: AWS requires Resource "*" for them.',
    );
  }

  /**
   * This function as the target of an EventBridge rule (it must have been created with `asyncInvoke`):
   * EventBridge retries a failed delivery for a day, then leaves the event in the function's dead-letter
   * queue.
   */
  asRuleTarget(): LambdaFunction {
    return new LambdaFunction(this.function, {
      deadLetterQueue: this.requireDeadLetterQueue().queue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
    });
  }

  /** The dead-letter queue of an asynchronously invoked function; a programming error when there is none. */
  requireDeadLetterQueue(): DeadLetterQueue {
    if (this.deadLetterQueue === undefined) {
      throw new Error(`${this.serviceName} is invoked asynchronously: create it with asyncInvoke`);
    }
    return this.deadLetterQueue;
  }

  get functionName(): string {
    return this.function.functionName;
  }

  /**
   * The function's ARN built from its fixed name and the stack's account and region, without a reference
   * to the function resource: usable where a reference would be circular (its own environment).
   */
  get arnByName(): string {
    return Stack.of(this).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: this.physicalName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}

/**
 * The handler `functions/<name>/handler.ts` bundled by `function-bundle.ts` (esbuild, locally: no Docker)
 * into the asset's `index.mjs`, with `files` (name → text) beside it, hashed by its output. Synthesis
 * without bundling (context `aws:cdk:bundling-stacks: []`, the assertion tests) skips the build.
 */
function bundledHandler(handlerName: string, files: Readonly<Record<string, string>>): Code {
  const entry = `${REPO_ROOT}functions/${handlerName}/handler.ts`;
  return Code.fromAsset(`${REPO_ROOT}functions/${handlerName}`, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: the local build below always succeeds or throws.
      image: DockerImage.fromRegistry('local-bundling-only'),
      local: {
        tryBundle(outputDir) {
          buildBundleSync(entry, outputDir);
          for (const [name, text] of Object.entries(files)) writeFileSync(join(outputDir, name), text);
          return true;
        },
      },
    },
  });
}
