/**
 * Table access for completed evaluations, as the results gate needs them: the evaluation that
 * counts for an object (from EvaluationCompleted).
 *
 * Keys:
 * | item                        | pk               | sk      | GSIs |
 * |-----------------------------|------------------|---------|------|
 * | last evaluation of object   | EVAL#<objectId>  | LATEST  | – (read by the results gate) |
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EVALUATION_KIND_RANK, type EvaluationCompleted } from '../../../events/evaluation.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailed } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import type { PreviousEvaluation } from '../domain/workflow.ts';

const table = () => requireEnv(ENV_KEYS.tableName);

/**
 * Keeps the evaluation that counts for an object: the latest fiscal year, and within a year the
 * strongest kind (a finance review or key evaluation overrides the unit's self-evaluation).
 */
export async function recordEvaluation(data: EvaluationCompleted['data']): Promise<boolean> {
  const rank = data.object.fiscalYear * 10 + 1 + EVALUATION_KIND_RANK[data.kind];
  const evaluation: PreviousEvaluation & { rank: number; evaluationKind: string; completedAt: string } = {
    evaluationId: data.evaluationId,
    objectId: data.object.id,
    fiscalYear: data.object.fiscalYear,
    grade: data.grade,
    totalScore: data.totalScore,
    evaluationKind: data.kind,
    completedAt: data.completedAt,
    rank,
  };
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `EVAL#${data.object.id}`, sk: 'LATEST' },
        UpdateExpression: 'SET ' + Object.keys(evaluation).map((k) => `#${k} = :${k}`).join(', ') + ', kind = :kindTag',
        ConditionExpression: 'attribute_not_exists(#rank) OR #rank < :rank OR (#rank = :rank AND #completedAt <= :completedAt)',
        ExpressionAttributeNames: Object.fromEntries(Object.keys(evaluation).map((k) => [`#${k}`, k])),
        ExpressionAttributeValues: { ...Object.fromEntries(Object.entries(evaluation).map(([k, v]) => [`:${k}`, v])), ':kindTag': 'evaluation' },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

export async function getLastEvaluation(objectId: string): Promise<PreviousEvaluation | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: `EVAL#${objectId}`, sk: 'LATEST' }, ConsistentRead: true }));
  if (!Item) return undefined;
  return { evaluationId: Item.evaluationId, objectId: Item.objectId, fiscalYear: Item.fiscalYear, grade: Item.grade, totalScore: Item.totalScore };
}
