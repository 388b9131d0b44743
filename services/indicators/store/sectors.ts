/**
 * The sectors (行业) indicators and templates are filed under: data, not code (finance adds and
 * renames them; inherited indicators teach a region its ancestors' sectors).
 *
 * | item    | pk      | sk      | GSIs |
 * |---------|---------|---------|------|
 * | sector  | SECTOR  | <code>  | –    |
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { queryPage } from '../../../shared/query.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const strip = stripKeys;

export interface Sector {
  code: string;
  label: string;
  updatedAt: string;
  updatedBy: string;
}

export async function listSectors(): Promise<Sector[]> {
  const sectors: Sector[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({ tableName: table(), partition: 'SECTOR', limit: 100, cursor });
    sectors.push(...page.items.map((i) => strip<Sector>(i)));
    cursor = page.nextCursor;
  } while (cursor);
  return sectors;
}

export async function getSector(code: string): Promise<Sector | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: 'SECTOR', sk: code } }));
  return result.Item ? strip<Sector>(result.Item) : undefined;
}

export async function putSector(sector: Sector): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: table(), Item: { pk: 'SECTOR', sk: sector.code, kind: 'sector', ...sector } }));
}
