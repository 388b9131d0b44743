/**
 * The environment contract between handlers and the runtime that hosts them. CDK sets these
 * on every Lambda function; the local runtime sets them on every worker. Handlers read
 * configuration only through here, so they never know which runtime they are in.
 */
export const ENV_KEYS = {
  serviceName: 'SERVICE_NAME',
  tableName: 'TABLE_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  eventSource: 'EVENT_SOURCE',
  regionCode: 'REGION_CODE',
  /**
   * Set only on functions whose manifest declares a secrets use (`keyUses`): the key that wraps
   * secrets' data keys. `arn:aws:kms:…` in AWS (a customer-managed KMS key); `file:<path>` in
   * the local runtime (a 32-byte key file outside the table). shared/keys/ reads the scheme.
   */
  secretsKey: 'SECRETS_KEY',
  /** Set only on functions with a trail use: the HMAC key of the trail's entries (`arn:aws:kms:…` or `file:<path>`). */
  trailKey: 'TRAIL_KEY',
  /** Set only on functions with a checkpoint use: where head checkpoints go (`s3://<bucket>` or `file:<path>`, append-only). */
  trailCheckpoints: 'TRAIL_CHECKPOINTS',
  /** Local runtime only: DynamoDB Local endpoint. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  /** Local runtime only: local EventBridge endpoint. */
  eventbridgeEndpoint: 'EVENTBRIDGE_ENDPOINT',
} as const;

export class MissingEnvError extends Error {}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new MissingEnvError(`environment variable ${name} is not set`);
  return value;
}

export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value ? value : undefined;
}
