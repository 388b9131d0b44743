/**
 * What accountability's case rules know of an object (name, department, unit) comes from the
 * latest event about it, on real DynamoDB Local: an older event, redelivered or late, never sets
 * it back.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import accountability from '../../services/accountability/service.ts';
import type { CaseObject } from '../../services/accountability/domain/case.ts';
import { getTrackedObject, recordTrackedObject } from '../../services/accountability/store/cases.ts';
import { localTable } from '../support/aws-env.ts';

beforeAll(async () => {
  process.env.TABLE_NAME = await localTable('tracked', accountability.table!);
});

const object = (id: string, name: string, unit: string): CaseObject => ({ id, type: 'project', name, fiscalYear: 2027, region: '360000', department: 'D-WAT', unit });

describe('the tracked object of the case rules', () => {
  it('keeps what the later event said when an earlier one arrives after it', async () => {
    const id = `prj_${randomUUID().slice(0, 8)}`;
    await recordTrackedObject(object(id, '农村饮水安全巩固提升项目（调整后）', 'U-WAT-02'), '2027-06-01T08:00:00.000Z');
    await recordTrackedObject(object(id, '农村饮水安全巩固提升项目', 'U-WAT-01'), '2027-03-01T08:00:00.000Z');
    expect((await getTrackedObject(id))?.object).toMatchObject({ name: '农村饮水安全巩固提升项目（调整后）', unit: 'U-WAT-02' });
  });

  it('takes what a later event says', async () => {
    const id = `prj_${randomUUID().slice(0, 8)}`;
    await recordTrackedObject(object(id, '农村饮水安全巩固提升项目', 'U-WAT-01'), '2027-03-01T08:00:00.000Z');
    await recordTrackedObject(object(id, '农村饮水安全巩固提升项目（调整后）', 'U-WAT-02'), '2027-06-01T08:00:00.000Z');
    expect((await getTrackedObject(id))?.object).toMatchObject({ name: '农村饮水安全巩固提升项目（调整后）', unit: 'U-WAT-02' });
  });
});
