/**
 * The alarms of one stack: every dead-letter queue that holds a message and every function that
 * reports errors, all to the region's alarm topic (alarm-topic.ts, in the region's base stack).
 * Parked events need a human (inspect, fix, redrive), so the alarm fires on the first one.
 *
 * Each stack of a region has its own `Alarms`, so an alarm always sits in the stack of what it
 * watches; a service stack reaches the topic by its ARN, built from the topic's name
 * (`alarmTopicName`), without a cross-stack reference.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmTopicName, regionResourceName } from '../naming.ts';

/** A relay this far behind its stream means events are not being published. */
const MAX_RELAY_ITERATOR_AGE = Duration.minutes(5);

export interface AlarmsProps {
  readonly regionCode: string;
  /** The region's alarm topic: the topic itself in the base stack, `regionAlarmTopic` elsewhere. */
  readonly topic: sns.ITopic;
}

/** The region's alarm topic, addressed by name from any stack in the region's account and AWS region. */
export function regionAlarmTopic(scope: Construct, id: string, regionCode: string): sns.ITopic {
  const arn = Stack.of(scope).formatArn({ service: 'sns', resource: alarmTopicName(regionCode), arnFormat: ArnFormat.NO_RESOURCE_NAME });
  return sns.Topic.fromTopicArn(scope, id, arn);
}

export class Alarms extends Construct {
  private readonly code: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.code = props.regionCode;
    this.action = new SnsAction(props.topic);
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
