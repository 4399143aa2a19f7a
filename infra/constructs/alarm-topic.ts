import { Aspects, Stack } from 'aws-cdk-lib';
import { AlarmBase, CfnAlarm, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';

/** One address, `name@domain.tld`, no spaces, no list: SNS confirms exactly one endpoint per subscription. */
const EMAIL_ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
/** RFC 5321's limit on a forward path. */
const MAX_EMAIL_LENGTH = 254;

/**
 * The alarm e-mail from context `alarmEmail`: undefined or empty means no subscription; anything that is
 * not one plain address fails synthesis, so a typo never deploys a subscription nobody can confirm.
 */
export function validAlarmEmail(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_EMAIL_LENGTH || !EMAIL_ADDRESS.test(value)) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}… (${value.length} characters)` : value;
    throw new Error(
      `context alarmEmail must be one email address like ops@example.com (at most ${MAX_EMAIL_LENGTH} characters), got ${JSON.stringify(shown)}`,
    );
  }
  return value;
}

export interface AlarmTopicProps {
  /** Subscribed by e-mail (SNS sends a confirmation link first). @default - no subscription */
  readonly email?: string;
}

/**
 * The SNS topic every alarm of the stack notifies. Encrypted with a key of its own: CloudWatch cannot
 * publish to a topic under the AWS-managed `alias/aws/sns` key, so the key policy lets CloudWatch use it.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  readonly action: IAlarmAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const email = validAlarmEmail(props.email);
    const { account } = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    this.key = new Key(this, 'Key', {
      description: 'keybill alarm topic: lets CloudWatch publish alarm notifications',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'keybill alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // enforceSSL writes a topic policy, which replaces SNS's default one: CloudWatch is allowed explicitly.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    if (email !== undefined) this.topic.addSubscription(new EmailSubscription(email));
    this.action = new SnsAction(this.topic);
  }

  /**
   * Makes every alarm under `root` notify this topic on ALARM and on OK, including alarms created after
   * this call (it runs as an aspect when the app is synthesised). An L1 `CfnAlarm` outside an L2 alarm
   * gets the topic appended to its actions.
   */
  notifyEveryAlarmUnder(root: IConstruct): void {
    const topicArn = this.topic.topicArn;
    const action = this.action;
    const notified = new WeakSet<IConstruct>();
    const aspect = {
      visit(node: IConstruct): void {
        if (notified.has(node)) return;
        if (node instanceof AlarmBase) {
          notified.add(node);
          node.addAlarmAction(action);
          node.addOkAction(action);
        } else if (node instanceof CfnAlarm && !(node.node.scope instanceof AlarmBase)) {
          notified.add(node);
          node.alarmActions = withTopic(node.alarmActions, topicArn);
          node.okActions = withTopic(node.okActions, topicArn);
        }
      },
    };
    Aspects.of(root).add(aspect);
  }
}

function withTopic(actions: string[] | undefined, topicArn: string): string[] {
  const current = actions ?? [];
  return current.includes(topicArn) ? current : [...current, topicArn];
}
