/**
 * The region's alarm topic and the alarms on it: every dead-letter queue that holds a message
 * and every function that reports errors. Parked events need a human (inspect, fix, redrive),
 * so the alarm fires on the first one.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { regionResourceName } from '../naming.ts';
import type { RegionConfig } from '../regions.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** A relay this far behind its stream means events are not being published. */
const MAX_RELAY_ITERATOR_AGE = Duration.minutes(5);

export interface AlarmsProps {
  readonly region: RegionConfig;
}

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  private readonly code: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.code = props.region.code;
    const stack = Stack.of(this);

    // SNS's AWS-managed key cannot be used by CloudWatch alarms, so the topic gets its own key
    // whose policy lets CloudWatch encrypt what it publishes.
    const key = new kms.Key(this, 'Key', {
      description: `Jixiao ${props.region.code} alarm topic encryption`,
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
      topicName: regionResourceName(this.code, ['alarms'], 256),
      displayName: `Jixiao ${props.region.name.pinyin} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy that enforceSSL creates replaces the default one, so CloudWatch needs
    // an explicit grant, limited to this account's alarms.
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
    this.action = new SnsAction(this.topic);

    if (props.region.alarmEmail) {
      // Notifications that cannot be delivered (a full mailbox) are kept, not dropped.
      const undelivered = new DeadLetterQueue(this, 'EmailDlq', { purpose: 'alarm e-mails SNS could not deliver', alarms: this, alarmName: 'alarm-email' });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.region.alarmEmail, { deadLetterQueue: undelivered.queue }));
    }
  }

  /** Alarms as soon as the queue holds a message. */
  onQueueDepth(queue: sqs.IQueue, name: string): cloudwatch.Alarm {
    return this.alarm(`${name}-dlq`, {
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      description: `Messages parked in ${name}: inspect, fix the cause, redrive`,
    });
  }

  /** Alarms on any failed invocation of the function. */
  onFunctionErrors(fn: lambda.IFunction, name: string): cloudwatch.Alarm {
    return this.alarm(`${name}-errors`, {
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      description: `Function ${name} reported errors`,
    });
  }

  /** Alarms when a stream consumer falls behind. */
  onIteratorAge(fn: lambda.IFunction, name: string): cloudwatch.Alarm {
    return this.alarm(`${name}-iterator-age`, {
      metric: fn.metric('IteratorAge', { period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: MAX_RELAY_ITERATOR_AGE.toMilliseconds(),
      description: `${name} is more than ${MAX_RELAY_ITERATOR_AGE.toHumanString()} behind its stream`,
    });
  }

  private alarm(name: string, props: { metric: cloudwatch.IMetric; threshold: number; description: string }): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, name, {
      alarmName: regionResourceName(this.code, [name], 255),
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means nothing failed (no messages, no invocations).
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
