/**
 * Finance review samples; drawing one marks each drawn self-evaluation in the same transaction:
 * | item                          | pk                | sk          | GSIs |
 * |-------------------------------|-------------------|-------------|------|
 * | review sample                 | SAMPLE#<sampleId> | META        | gsi1 SAMPLES#<region>#<year> / <createdAt>#<sampleId> |
 * | drawn self-evaluation (mark)  | OBJ#<objectId>    | SELF        | see self-evaluations.ts |
 */
import { putAtVersion, putNew } from '../../../shared/items.ts';
import type { TransactItem } from '../../../shared/outbox.ts';
import type { ReviewSample, SelfEvaluation } from '../domain/self-evaluation.ts';
import { selfItem } from './self-evaluations.ts';
import { get, table, transact } from './table.ts';

export async function createSample(sample: ReviewSample, marks: TransactItem[]): Promise<void> {
  await transact([putNew(table(), { pk: `SAMPLE#${sample.id}`, sk: 'META', kind: 'sample', gsi1pk: `SAMPLES#${sample.region}#${sample.fiscalYear}`, gsi1sk: `${sample.createdAt}#${sample.id}`, ...sample }), ...marks]);
}

export const getSample = (id: string) => get<ReviewSample>(`SAMPLE#${id}`, 'META');

/** Marks a self-evaluation as drawn for review, at the version read. */
export const sampledMark = (next: SelfEvaluation, expectedVersion: number): TransactItem => putAtVersion(table(), selfItem(next), expectedVersion);
