/**
 * Sandbox entry for the fault tests: the indicators service's real API handler, with DynamoDB
 * errors injectable on its real client (see installDynamoFaults in faults-inject.ts).
 */
import { dynamoClient } from '../../../shared/clients/dynamodb.ts';
import { installDynamoFaults } from './faults-inject.ts';

installDynamoFaults(dynamoClient());
export { handler } from '../../../services/indicators/handlers/api.ts';
