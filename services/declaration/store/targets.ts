/**
 * Table access for targets: the working targets, a proposed mid-year revision and the approved
 * target versions (snapshots), all in the object's partition beside its head (objects.ts).
 *
 * Keys:
 * | item                       | pk        | sk             | GSIs |
 * |----------------------------|-----------|----------------|------|
 * | working targets            | OBJ#<id>  | TARGETS        | – |
 * | proposed revision targets  | OBJ#<id>  | REVISION       | – |
 * | approved target snapshot   | OBJ#<id>  | SNAP#<000001>  | – (one per approved version, never changed) |
 *
 * Writes are items of the object's transactions (`changeObject` in objects.ts), so targets
 * never change without the head's version moving.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { putNew, stripKeys } from '../../../shared/items.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import type { TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage } from '../../../shared/query.ts';
import type { StoredTargets, TargetSnapshot } from '../domain/targets.ts';
import { objectPk, pad, table } from './objects.ts';

const strip = stripKeys;

const targetsKey = (id: string) => ({ pk: objectPk(id), sk: 'TARGETS' });
const revisionKey = (id: string) => ({ pk: objectPk(id), sk: 'REVISION' });
const put = (Item: Record<string, unknown>): TransactItem => ({ Put: { TableName: table(), Item } });

export async function getTargets(id: string): Promise<StoredTargets | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: targetsKey(id), ConsistentRead: true }));
  return Item ? strip<StoredTargets>(Item) : undefined;
}

export async function getProposedRevision(id: string): Promise<StoredTargets | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: revisionKey(id), ConsistentRead: true }));
  return Item ? strip<StoredTargets>(Item) : undefined;
}

export const targetsPut = (id: string, targets: StoredTargets): TransactItem => put({ ...targetsKey(id), kind: 'targets', ...targets });
export const revisionPut = (id: string, targets: StoredTargets): TransactItem => put({ ...revisionKey(id), kind: 'revision-targets', ...targets });
export const revisionDelete = (id: string): TransactItem => ({ Delete: { TableName: table(), Key: revisionKey(id) } });
export const snapshotPut = (snapshot: TargetSnapshot): TransactItem =>
  putNew(table(), { pk: objectPk(snapshot.object.id), sk: `SNAP#${pad(snapshot.targetVersion)}`, kind: 'snapshot', ...snapshot });

export async function getSnapshot(id: string, targetVersion: number): Promise<TargetSnapshot | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: objectPk(id), sk: `SNAP#${pad(targetVersion)}` }, ConsistentRead: true }));
  return Item ? strip<TargetSnapshot>(Item) : undefined;
}

export async function listSnapshots(id: string, limit: number, cursor?: string): Promise<Page<TargetSnapshot>> {
  const page = await queryPage({
    tableName: table(),
    partition: objectPk(id),
    sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': 'SNAP#' } },
    limit,
    consistentRead: true,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items.map((i) => strip<TargetSnapshot>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
