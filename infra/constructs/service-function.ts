/**
 * One manifest function as a Lambda function: NodejsFunction (nodejs22.x, arm64, ESM bundle),
 * its own role and log group, the environment both runtimes build with `functionEnvironment`
 * (infra/function-env.ts) with the same memory/timeout defaults, and an alarm on its errors.
 * Access to the service's table is granted here and nowhere else, so a function can never
 * reach another service's table; so are the service's keys and checkpoints, each only to the
 * functions whose `keyUses` name it (service-keys.ts).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionId, type FunctionDecl, type ServiceManifest } from '../../shared/manifest.ts';
import { bundlingOptions } from '../bundling.ts';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, functionEnvironment } from '../function-env.ts';
import { regionResourceName } from '../naming.ts';
import type { RegionConfig } from '../regions.ts';
import type { Alarms } from './alarms.ts';
import { acknowledge } from './nag.ts';
import type { ServiceKeys } from './service-keys.ts';

const LOG_RETENTION = logs.RetentionDays.SIX_MONTHS;

/**
 * Reading and writing items of the table and its indexes: what `grantReadWriteData` gives
 * minus the stream reads, which are the relay's alone (outbox-relay.ts).
 */
const TABLE_DATA_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
];

/**
 * What DynamoDB needs of the caller to use a table's customer-managed key on its behalf: the
 * key actions `grantReadWriteData` adds, with its wildcards (kms:GenerateDataKey*,
 * kms:ReEncrypt*) spelled out. A secret sealed under the same key is protected by its
 * encryption context (service-keys.ts).
 */
const TABLE_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

export interface ServiceFunctionProps {
  readonly region: RegionConfig;
  readonly manifest: ServiceManifest;
  readonly decl: FunctionDecl;
  /** The service's own table; absent for services without state. */
  readonly table?: dynamodb.TableV2;
  /** The service's keys and checkpoints; absent for services whose functions declare no `keyUses`. */
  readonly keys?: ServiceKeys;
  readonly bus: events.IEventBus;
  readonly alarms: Alarms;
  readonly repoRoot: string;
}

export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  /** `<service>-<function>`, as in logs and idempotency keys of both runtimes. */
  readonly functionId: string;
  readonly decl: FunctionDecl;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { region, manifest, decl, table } = props;
    this.decl = decl;
    this.functionId = functionId(manifest.name, decl.name);
    const functionName = regionResourceName(region.code, [this.functionId]);
    const entry = join(props.repoRoot, decl.entry);
    if (!existsSync(entry)) throw new Error(`${this.functionId}: entry ${decl.entry} does not exist`);

    // An own role instead of the managed AWSLambdaBasicExecutionRole: that policy may write to
    // every log group in the account; this one writes only to the function's own.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Jixiao ${region.code} ${this.functionId}`,
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(this.role);

    // Relays only read the stream and publish; they get neither the table name nor its data.
    const usesTable = table !== undefined && decl.kind !== 'relay';
    this.fn = new NodejsFunction(this, 'Function', {
      functionName,
      description: decl.description,
      entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: decl.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(decl.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS[decl.kind]),
      role: this.role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...functionEnvironment({
          manifest,
          fn: decl,
          regionCode: region.code,
          ...(table ? { tableName: table.tableName } : {}),
          eventBusName: props.bus.eventBusName,
          ...(props.keys ? { protection: props.keys.protection } : {}),
        }),
      },
      bundling: bundlingOptions,
      projectRoot: props.repoRoot,
      depsLockFilePath: join(props.repoRoot, 'package-lock.json'),
    });

    if (usesTable) {
      // Read/write: handlers write state with their outbox items, and idempotency records
      // (Powertools, API Idempotency-Key) live in the same table.
      table.grant(this.role, ...TABLE_DATA_ACTIONS);
      const tableId = Stack.of(this).getLogicalId(table.node.defaultChild as CfnElement);
      acknowledge(this.role, [
        {
          id: 'AwsSolutions-IAM5',
          reason: `Queries on the GSIs of the service's own table: index ARNs sit under the table ARN, and only ${tableId}'s indexes match.`,
          appliesTo: [`Resource::<${tableId}.Arn>/index/*`],
        },
      ]);
      if (table.encryptionKey) {
        this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...TABLE_KEY_ACTIONS], resources: [table.encryptionKey.keyArn] }));
      }
    }

    props.keys?.grant(this.role, decl);

    acknowledge(this.role, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) use Resource *: X-Ray supports no resource-level permissions for them.',
        appliesTo: ['Resource::*'],
      },
    ]);
    const runtimeReason =
      'docs/architecture.md fixes nodejs22.x for every region and the bundles target node22; a newer runtime is a deliberate upgrade of design, bundles and tests together.';
    acknowledge(this.fn, [
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          decl.kind === 'api' || decl.kind === 'relay'
            ? 'Invoked synchronously (API Gateway, or the stream event source mapping, whose failures go to its own on-failure queue); a function DLQ applies only to asynchronous invocations.'
            : 'Asynchronous failures go to an on-failure destination queue, which records the error with the event; a DLQ as well would park every failure twice.',
      },
    ]);

    props.alarms.onFunctionErrors(this.fn, this.functionId);
  }
}
