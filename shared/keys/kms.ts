/** The KMS client, built once per process (AWS only: locally the keys are files). */
import { KMSClient } from '@aws-sdk/client-kms';

let kms: KMSClient | undefined;

export function kmsClient(): KMSClient {
  kms ??= new KMSClient({ maxAttempts: 4 });
  return kms;
}
