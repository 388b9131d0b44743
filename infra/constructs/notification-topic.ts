/**
 * A notification topic declared in a service manifest (`topics`): a KMS-encrypted SNS topic
 * reachable only over TLS, fed by an EventBridge rule on the region bus with the manifest's
 * pattern. The rule's target has a retry policy and a dead-letter queue (alarmed like every
 * other), and the topic ARN is a stack output for the outside systems that subscribe.
 * The local runtime builds the same rule from the same pattern (infra/local/topics.ts).
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as eventsLib from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ServiceManifest, TopicDecl } from '../../shared/manifest.ts';
import { constructId, regionResourceName } from '../naming.ts';
import type { Alarms } from './alarms.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { DEFAULT_MAX_EVENT_AGE_SECONDS, retryAttemptsFor, toCdkEventPattern } from './event-targets.ts';

export interface NotificationTopicProps {
  readonly regionCode: string;
  readonly manifest: ServiceManifest;
  readonly decl: TopicDecl;
  readonly bus: events.IEventBus;
  readonly alarms: Alarms;
}

export class NotificationTopic extends Construct {
  readonly topic: sns.Topic;
  readonly rule: eventsLib.Rule;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    const { regionCode, manifest, decl, bus, alarms } = props;
    const stack = Stack.of(this);
    const label = `${manifest.name}-${decl.name}`;

    // SNS's AWS-managed key cannot be used by EventBridge, so the topic gets its own key whose
    // policy lets EventBridge (of this account only) encrypt what it publishes.
    this.key = new kms.Key(this, 'Key', { description: `Jixiao ${regionCode} ${label} topic encryption`, enableKeyRotation: true });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgePublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: regionResourceName(regionCode, [manifest.name, decl.name], 256),
      displayName: `Jixiao ${regionCode} ${label}`,
      masterKey: this.key,
      enforceSSL: true,
    });

    this.rule = new eventsLib.Rule(this, 'Rule', {
      eventBus: bus,
      ruleName: regionResourceName(regionCode, [manifest.name, 'topic', decl.name]),
      description: `${decl.description}`.slice(0, 512),
      eventPattern: toCdkEventPattern(decl.pattern),
    });
    const dlq = new DeadLetterQueue(this, 'Dlq', {
      purpose: `events rule ${label} could not publish to its SNS topic`,
      alarms,
      alarmName: `${label}-topic`,
    });
    this.rule.addTarget(
      new targets.SnsTopic(this.topic, {
        retryAttempts: retryAttemptsFor(undefined),
        maxEventAge: Duration.seconds(DEFAULT_MAX_EVENT_AGE_SECONDS),
        deadLetterQueue: dlq.queue,
      }),
    );

    new CfnOutput(stack, `${constructId(manifest.name)}${constructId(decl.name)}TopicArn`.replace(/-/g, ''), {
      value: this.topic.topicArn,
      description: `SNS topic ${label}: ${decl.description}`.slice(0, 1024),
    });
  }
}
