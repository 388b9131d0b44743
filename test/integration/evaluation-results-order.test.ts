/**
 * The consumers that keep "the evaluation that counts" from EvaluationCompleted, on real
 * DynamoDB Local: a self-evaluation that arrives after finance's review of the same object (a
 * late delivery, or the consumer running a second time after its idempotency record was lost)
 * replaces nothing, and the same evaluation twice leaves what one left.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import declaration from '../../services/declaration/service.ts';
import indicators from '../../services/indicators/service.ts';
import { recordEvaluationResults } from '../../services/declaration/jobs/evaluation-results.ts';
import { recordAchievedValues } from '../../services/indicators/jobs/history.ts';
import { listHistory } from '../../services/indicators/store/history.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { parseEnvelope } from '../../shared/consumer.ts';
import completed from '../../events/examples/EvaluationCompleted.v1.json' with { type: 'json' };
import { localTable } from '../support/aws-env.ts';

const tables = { declaration: '', indicators: '' };
const use = (table: string) => {
  process.env.TABLE_NAME = table;
};

beforeAll(async () => {
  tables.declaration = await localTable('results-declaration', declaration.table!);
  tables.indicators = await localTable('results-indicators', indicators.table!);
  Object.assign(process.env, { REGION_CODE: '360000', EVENT_BUS_NAME: 'unused', AWS_LAMBDA_FUNCTION_NAME: 'results-order-test' });
});

/** An EvaluationCompleted of one object whose first row uses library indicator `indicatorId` and reached `actual`. */
function evaluation(objectId: string, indicatorId: string, kind: 'self' | 'finance_review', actual: number, completedAt: string) {
  const detail = structuredClone(completed) as Omit<typeof completed, 'data'> & { data: Omit<typeof completed.data, 'kind' | 'indicatorResults'> & { kind: string; indicatorResults: Record<string, unknown>[] } };
  detail.meta.eventId = randomUUID();
  detail.meta.subject.id = objectId;
  detail.data.evaluationId = `evl_${randomUUID().slice(0, 8)}`;
  detail.data.kind = kind;
  detail.data.object.id = objectId;
  detail.data.completedAt = completedAt;
  detail.data.indicatorResults = [{ ...completed.data.indicatorResults[0], indicatorId, actual }];
  return parseEnvelope({ version: '0', id: randomUUID(), 'detail-type': 'EvaluationCompleted', source: 'jixiao.evaluation', account: '1', time: completedAt, region: 'cn-northwest-1', resources: [], detail });
}

const ids = () => ({ objectId: `prj_${randomUUID().replace(/-/g, '').slice(0, 16)}`, indicatorId: `ind_${randomUUID().replace(/-/g, '').slice(0, 20)}` });

describe('indicator history (indicators)', () => {
  const actualsOf = async (indicatorId: string) => (await listHistory(indicatorId, 2026, 10)).items.map((e) => [e.evaluationKind, e.actual]);

  it('keeps the finance review’s achieved value when the unit’s self-evaluation arrives after it', async () => {
    use(tables.indicators);
    const { objectId, indicatorId } = ids();
    await recordAchievedValues(evaluation(objectId, indicatorId, 'finance_review', 1180, '2027-04-20T08:00:00.000Z'));
    await recordAchievedValues(evaluation(objectId, indicatorId, 'self', 1260, '2027-03-01T08:00:00.000Z'));
    expect(await actualsOf(indicatorId)).toEqual([['finance_review', 1180]]);
  });

  it('replaces the self-evaluation’s value with the finance review’s, which counts more', async () => {
    use(tables.indicators);
    const { objectId, indicatorId } = ids();
    await recordAchievedValues(evaluation(objectId, indicatorId, 'self', 1260, '2027-03-01T08:00:00.000Z'));
    await recordAchievedValues(evaluation(objectId, indicatorId, 'finance_review', 1180, '2027-04-20T08:00:00.000Z'));
    expect(await actualsOf(indicatorId)).toEqual([['finance_review', 1180]]);
  });

  it('leaves one entry when the same evaluation is recorded twice', async () => {
    use(tables.indicators);
    const { objectId, indicatorId } = ids();
    const event = evaluation(objectId, indicatorId, 'self', 1260, '2027-03-01T08:00:00.000Z');
    await recordAchievedValues(event);
    await recordAchievedValues(event);
    expect(await actualsOf(indicatorId)).toEqual([['self', 1260]]);
  });
});

describe('achieved values of library indicators (declaration)', () => {
  const achievedOf = async (indicatorId: string) => {
    const { Item } = await documentClient().send(new GetCommand({ TableName: tables.declaration, Key: { pk: `LIBIND#${indicatorId}`, sk: 'META' }, ConsistentRead: true }));
    return ((Item?.achievedBy ?? []) as { v: number }[]).map((a) => a.v);
  };

  it('keeps the finance review’s achieved value when the unit’s self-evaluation arrives after it', async () => {
    use(tables.declaration);
    const { objectId, indicatorId } = ids();
    await recordEvaluationResults(evaluation(objectId, indicatorId, 'finance_review', 1180, '2027-04-20T08:00:00.000Z'));
    await recordEvaluationResults(evaluation(objectId, indicatorId, 'self', 1260, '2027-03-01T08:00:00.000Z'));
    expect(await achievedOf(indicatorId)).toEqual([1180]);
  });

  it('leaves the achieved values as they were when the same evaluation runs twice', async () => {
    use(tables.declaration);
    const { objectId, indicatorId } = ids();
    const event = evaluation(objectId, indicatorId, 'self', 1260, '2027-03-01T08:00:00.000Z');
    await recordEvaluationResults(event);
    await recordEvaluationResults(event);
    expect(await achievedOf(indicatorId)).toEqual([1260]);
  });
});
