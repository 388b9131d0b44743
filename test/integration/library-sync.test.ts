/**
 * A city's copy of the province library, built from events that may arrive in any order
 * (retries, redrives): a retirement is final whatever order the events come in, a late older
 * revision never overwrites a newer one, and only real "no"s are swallowed.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import indicators from '../../services/indicators/service.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import { documentClient, resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';
import { parseEnvelope } from '../../shared/consumer.ts';
import { syncAncestorLibrary } from '../../services/indicators/jobs/library-sync.ts';
import published from '../../events/examples/IndicatorPublished.v1.json' with { type: 'json' };
import revised from '../../events/examples/IndicatorRevised.v1.json' with { type: 'json' };
import retired from '../../events/examples/IndicatorRetired.v1.json' with { type: 'json' };
import { lambdaContext } from '../support/api-event.ts';
import { uniquePrefix, useLocalAws } from '../support/aws-env.ts';

let handler: (event: unknown, context: unknown) => Promise<void>;
let store: typeof import('../../services/indicators/store/indicators.ts');
let tableName: string;

beforeAll(async () => {
  const endpoint = useLocalAws();
  tableName = `${uniquePrefix()}library`;
  const admin = new DynamoDBClient({ endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await ensureTable(admin, tableName, indicators.table!);
  admin.destroy();
  Object.assign(process.env, { TABLE_NAME: tableName, REGION_CODE: '360100', EVENT_SOURCE: 'jixiao.indicators', EVENT_BUS_NAME: 'unused', AWS_LAMBDA_FUNCTION_NAME: 'indicators-library' });
  resetDynamoClientsForTesting();
  ({ handler } = (await import('../../services/indicators/handlers/library.ts')) as never);
  store = await import('../../services/indicators/store/indicators.ts');
});

type Detail = { meta: { eventId: string; subject: { id: string } }; data: { indicator: { id: string } } };
function envelope(detailType: string, example: unknown, id: string): unknown {
  const detail = structuredClone(example) as Detail;
  detail.meta.eventId = randomUUID();
  detail.meta.subject.id = id;
  detail.data.indicator.id = id;
  return { version: '0', id: randomUUID(), 'detail-type': detailType, source: 'jixiao.indicators', account: '1', time: '2026-11-28T08:00:00Z', region: 'cn-northwest-1', resources: [], detail };
}
const deliver = (detailType: string, example: unknown, id: string) => handler(envelope(detailType, example, id), lambdaContext('indicators-library'));
const newId = () => `ind_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

describe('inherited library copies', () => {
  it('stores a province indicator as a read-only copy', async () => {
    const id = newId();
    await deliver('IndicatorPublished', published, id);
    expect(await store.getIndicator(id)).toMatchObject({ inherited: true, region: '360000', status: 'published', revision: 1 });
  });

  it('stays retired when a publication of the same revision arrives late', async () => {
    const id = newId();
    await deliver('IndicatorPublished', published, id);
    await deliver('IndicatorRetired', { ...retired, data: { ...retired.data, indicator: { ...retired.data.indicator, revision: 1 } } }, id);
    await deliver('IndicatorPublished', published, id);
    expect((await store.getIndicator(id))?.status).toBe('retired');
  });

  it('stays retired when the retirement arrives before the publication', async () => {
    const id = newId();
    await deliver('IndicatorRetired', retired, id);
    await deliver('IndicatorPublished', published, id);
    expect(await store.getIndicator(id)).toBeUndefined();
  });

  it('stays retired when the retirement of revision 2 arrives before that revision', async () => {
    const id = newId();
    await deliver('IndicatorPublished', published, id);
    await deliver('IndicatorRetired', retired, id);
    await deliver('IndicatorRevised', revised, id);
    expect((await store.getIndicator(id))?.status).toBe('retired');
  });

  it('never lets an older revision overwrite a newer one', async () => {
    const id = newId();
    await deliver('IndicatorRevised', revised, id);
    await deliver('IndicatorPublished', published, id);
    expect((await store.getIndicator(id))?.revision).toBe(2);
  });

  it('passes a retirement on once and retires the copy once when the consumer runs twice on it (its idempotency record lost)', async () => {
    const id = newId();
    await deliver('IndicatorPublished', published, id);
    const before = await store.getIndicator(id);
    const retirement = parseEnvelope(envelope('IndicatorRetired', retired, id));
    await syncAncestorLibrary(retirement, '360100');
    await syncAncestorLibrary(retirement, '360100');
    expect(await store.getIndicator(id)).toMatchObject({ status: 'retired', version: (before?.version ?? 0) + 1 });
    const outbox = await documentClient().send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, FilterExpression: 'kind = :k AND detailType = :t AND contains(#d, :id)', ExpressionAttributeNames: { '#d': 'detail' }, ExpressionAttributeValues: { ':k': 'outbox', ':t': 'IndicatorRetired', ':id': id } }),
    );
    expect(outbox.Items).toHaveLength(1);
  });
});
