/**
 * A dead-letter queue: encrypted, TLS only, kept for the longest SQS allows, alarmed on its
 * first message. Every place that can park a message (rule targets, async invocations, stream
 * mappings, the forwarding rule, alarm e-mails) uses one.
 */
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Alarms } from './alarms.ts';
import { acknowledge } from './nag.ts';

export interface DeadLetterQueueProps {
  /** What ends up here, for the alarm and the acknowledgements. */
  readonly purpose: string;
  readonly alarms: Alarms;
  /** Alarm name suffix; defaults to the construct path below the stack. */
  readonly alarmName?: string;
}

export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Time for a person to notice the alarm, find the cause and redrive.
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.queue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself a dead-letter queue (${props.purpose}); a dead-letter queue behind it would only move the same messages again.`,
      },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason: `This queue is itself a dead-letter queue (${props.purpose}); nothing consumes it automatically, so there is nothing to redrive from it.`,
      },
    ]);
    const name = props.alarmName ?? this.node.path.split('/').slice(1).join('-');
    props.alarms.onQueueDepth(this.queue, name);
  }
}
