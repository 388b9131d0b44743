/**
 * The region's alarm topic, in the region's base stack: KMS-encrypted, TLS only, publishable by
 * this account's CloudWatch alarms (of every stack of the region), and mailed to the region's
 * alarm address. Its name (`alarmTopicName`) is how the service stacks address it.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { alarmTopicName } from '../naming.ts';
import type { RegionConfig } from '../regions.ts';
import { Alarms } from './alarms.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface AlarmTopicProps {
  readonly region: RegionConfig;
}

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  /** The alarms of the stack the topic is in (its own e-mail DLQ, the forwarding DLQs). */
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { region } = props;
    const stack = Stack.of(this);

    // SNS's AWS-managed key cannot be used by CloudWatch alarms, so the topic gets its own key
    // whose policy lets CloudWatch encrypt what it publishes.
    const key = new kms.Key(this, 'Key', {
      description: `Jixiao ${region.code} alarm topic encryption`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: alarmTopicName(region.code),
      displayName: `Jixiao ${region.name.pinyin} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy that enforceSSL creates replaces the default one, so CloudWatch needs
    // an explicit grant, limited to this account's alarms (those of the service stacks too).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    this.alarms = new Alarms(this, 'Alarms', { regionCode: region.code, topic: this.topic });

    if (region.alarmEmail) {
      // Notifications that cannot be delivered (a full mailbox) are kept, not dropped.
      const undelivered = new DeadLetterQueue(this, 'EmailDlq', { purpose: 'alarm e-mails SNS could not deliver', alarms: this.alarms, alarmName: 'alarm-email' });
      this.topic.addSubscription(new subscriptions.EmailSubscription(region.alarmEmail, { deadLetterQueue: undelivered.queue }));
    }
  }
}
