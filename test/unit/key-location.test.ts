import { afterEach, describe, expect, it } from 'vitest';
import { KeyConfigurationError, keyLocation, storeLocation } from '../../shared/keys/location.ts';

const NAME = 'JIXIAO_TEST_KEY_LOCATION';
afterEach(() => {
  delete process.env[NAME];
});

describe('keyLocation', () => {
  it('reads a KMS key ARN of the China partition (the configured regions are in cn-northwest-1)', () => {
    process.env[NAME] = 'arn:aws-cn:kms:cn-northwest-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(keyLocation(NAME)).toEqual({ kind: 'kms', keyId: process.env[NAME] });
  });
  it('reads a KMS key ARN of the commercial partition', () => {
    process.env[NAME] = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(keyLocation(NAME).kind).toBe('kms');
  });
  it('reads a local key file', () => {
    process.env[NAME] = 'file:/tmp/x.key';
    expect(keyLocation(NAME)).toEqual({ kind: 'file', path: '/tmp/x.key' });
  });
  it('refuses anything else, naming the variable', () => {
    process.env[NAME] = 'arn:aws-cn:s3:::bucket';
    expect(() => keyLocation(NAME)).toThrow(KeyConfigurationError);
    expect(() => keyLocation(NAME)).toThrow(NAME);
  });
});

describe('storeLocation', () => {
  it('reads an S3 bucket and a local file', () => {
    process.env[NAME] = 's3://jixiao-360000-accountability-checkpoints';
    expect(storeLocation(NAME)).toEqual({ kind: 's3', bucket: 'jixiao-360000-accountability-checkpoints' });
    process.env[NAME] = 'file:/tmp/c.jsonl';
    expect(storeLocation(NAME)).toEqual({ kind: 'file', path: '/tmp/c.jsonl' });
  });
});
