/**
 * Audit entries of library records: every change of an indicator or a template, who, when,
 * from which state to which, why. Written in the same transaction as the change.
 *
 * | item         | pk                   | sk                    | GSIs |
 * |--------------|----------------------|-----------------------|------|
 * | audit entry  | IND#<id> / TPL#<id>  | AUDIT#<at>#<version>  | –    |
 */
import type { Actor } from '../../../events/envelope.ts';
import { putNew, stripKeys } from '../../../shared/items.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import type { TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage } from '../../../shared/query.ts';
import type { IndicatorStatus } from '../domain/indicator.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const pad = (n: number) => String(n).padStart(6, '0');

/** Who acted, as an audit entry records it. */
export const actorRef = (actor: Pick<Actor, 'sub' | 'role' | 'region'>) => ({ sub: actor.sub, role: actor.role, region: actor.region });

export interface AuditEntry {
  at: string;
  action: string;
  actor: Pick<Actor, 'sub' | 'role' | 'region'>;
  fromStatus?: IndicatorStatus;
  toStatus: IndicatorStatus;
  version: number;
  reason?: string;
}

/** The Put of one audit entry under a record's partition (`IND#<id>`, `TPL#<id>`), written once. */
export function auditPut(pk: string, entry: AuditEntry): TransactItem {
  return putNew(table(), { pk, sk: `AUDIT#${entry.at}#${pad(entry.version)}`, kind: 'audit', ...entry });
}

export async function listAudit(pk: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  const page = await queryPage({
    tableName: table(),
    partition: pk,
    sortCondition: { expression: 'begins_with(#sk, :audit)', values: { ':audit': 'AUDIT#' } },
    limit,
    cursor,
  });
  return { items: page.items.map((i) => stripKeys<AuditEntry>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
