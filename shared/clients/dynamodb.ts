/**
 * DynamoDB client factories. The endpoint comes from the environment (set only by the local
 * runtime), so the same handler talks to DynamoDB in AWS and to DynamoDB Local on a laptop.
 * Kept apart from the EventBridge client so a function bundles only the clients it uses.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV_KEYS, optionalEnv } from '../env.ts';

let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;

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

/**
 * Test seam: forget the clients so the next call builds them from the current environment
 * (a test process hosts several rigs in turn; a Lambda process never needs this).
 */
export function resetDynamoClientsForTesting(): void {
  dynamo = undefined;
  documents = undefined;
}
