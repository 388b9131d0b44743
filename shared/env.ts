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
