/**
 * AWS client factories. Endpoints come from the environment (set only by the local
 * runtime), so the same handler talks to DynamoDB/EventBridge in AWS and to DynamoDB Local
 * and the local EventBridge endpoint on a developer machine.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ENV_KEYS, optionalEnv } from './env.ts';

let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
let eventBridge: EventBridgeClient | undefined;

export function dynamoClient(): DynamoDBClient {
  dynamo ??= new DynamoDBClient({ endpoint: optionalEnv(ENV_KEYS.dynamodbEndpoint), maxAttempts: 4 });
  return dynamo;
}

export function documentClient(): DynamoDBDocumentClient {
  documents ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return documents;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({ endpoint: optionalEnv(ENV_KEYS.eventbridgeEndpoint), maxAttempts: 3 });
  return eventBridge;
}

/**
 * Test seam: forget the clients so the next call builds them from the current environment
 * (a test process hosts several rigs in turn; a Lambda process never needs this).
 */
export function resetClientsForTesting(): void {
  dynamo = undefined;
  documents = undefined;
  eventBridge = undefined;
}
