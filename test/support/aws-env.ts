/** Environment for talking to DynamoDB Local from a test process. */
import { inject } from 'vitest';

export function useLocalAws(): string {
  const endpoint = inject('dynamodbEndpoint');
  process.env.AWS_REGION = 'cn-northwest-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  process.env.DYNAMODB_ENDPOINT = endpoint;
  return endpoint;
}

/** A unique prefix so concurrent test files never share tables. */
export function uniquePrefix(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}-`;
}
