/**
 * Completed evaluations and rectification orders of objects. Evaluations, for two uses: the results gate (a continuing object whose last
 * evaluation was graded 差 needs finance's decision before approval) and the historical
 * standard of library indicators (a target far below what was already achieved is flagged), per
 * 万元 of the evaluated object's amount where it is known (outputs far too few for the money are).
 */
import type { EvaluationCompleted } from '../../../events/evaluation.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { recordEvaluation } from '../store/evaluations.ts';
import { rectificationStanding } from '../store/rectifications.ts';
import { getObject } from '../store/objects.ts';
import { recordAchieved, type Achieved } from '../store/library-indicators.ts';

/** What the results consumer does with each event it receives: evaluations and rectification orders. */
export async function recordResults(event: ConsumedEvent): Promise<void> {
  if (event.detailType === 'EvaluationCompleted') return recordEvaluationResults(event);
  // RectificationOrdered / Overdue / Closed: where the object's orders stand, for its results gate.
  await rectificationStanding.record(event);
}

export async function recordEvaluationResults(event: ConsumedEvent): Promise<void> {
  const data = event.data as EvaluationCompleted['data'];
  // Achieved values come from the evaluation that counts: one that does not (a self-evaluation
  // arriving after finance's review of the object, or a redelivery of an older one) changes nothing.
  if (!(await recordEvaluation(data))) return;
  // The evaluated object's amount, when it was declared here (a lower region's forwarded
  // evaluation is not): with it each achieved value is also a value per 万元, the money match's history.
  const rows = data.indicatorResults.filter((row) => row.indicatorId && typeof row.actual === 'number' && Number.isFinite(row.actual));
  const object = rows.length ? await getObject(data.object.id) : undefined;
  const amountWan = object?.region === data.object.region ? object.amounts.annualTotalWan : undefined;
  // Keyed by year, object and the row's place among this indicator's rows: re-evaluating the
  // object replaces its values instead of adding to them.
  const achieved = new Map<string, Achieved[]>();
  for (const row of rows) {
    const indicatorId = row.indicatorId as string;
    const list = achieved.get(indicatorId) ?? [];
    list.push({
      k: `${data.object.fiscalYear}#${data.object.id}#${list.length}`,
      v: row.actual as number,
      ...(amountWan !== undefined && amountWan > 0 ? { w: amountWan } : {}),
      ...(row.unit ? { u: row.unit } : {}),
    });
    achieved.set(indicatorId, list);
  }
  for (const [indicatorId, entries] of achieved) await recordAchieved(indicatorId, entries);
}
