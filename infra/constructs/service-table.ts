/**
 * A service's table from its manifest's TableSpec: on-demand, point-in-time recovery,
 * deletion protection, retained when the stack goes, and the stream the outbox relay reads.
 * Encrypted with the service's secrets key when it has one (service-keys.ts), otherwise with
 * DynamoDB's own key.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { AttributeType, KeySpec, ServiceManifest, TableSpec } from '../../shared/manifest.ts';
import { regionResourceName } from '../naming.ts';

const ATTRIBUTE_TYPES: Record<AttributeType, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
};

function attribute(key: KeySpec): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

export interface ServiceTableProps {
  readonly regionCode: string;
  readonly service: ServiceManifest['name'];
  readonly spec: TableSpec;
  /**
   * The service's customer-managed key, for a service that keeps secrets: the table that holds
   * the sealed secrets is then readable only while that key is enabled, and each use of it is
   * in CloudTrail.
   */
  readonly encryptionKey?: kms.IKey;
}

export class ServiceTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id);
    const { spec } = props;
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: regionResourceName(props.regionCode, [props.service], 255),
      partitionKey: attribute(spec.partitionKey),
      ...(spec.sortKey ? { sortKey: attribute(spec.sortKey) } : {}),
      globalSecondaryIndexes: spec.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Performance records are kept for years; deleting the stack must never delete them.
      removalPolicy: RemovalPolicy.RETAIN,
      ...(spec.stream === 'NEW_IMAGE' ? { dynamoStream: dynamodb.StreamViewType.NEW_IMAGE } : {}),
      ...(spec.timeToLiveAttribute ? { timeToLiveAttribute: spec.timeToLiveAttribute } : {}),
      ...(props.encryptionKey ? { encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.encryptionKey) } : {}),
    });
  }
}
