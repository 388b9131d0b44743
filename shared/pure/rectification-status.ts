/**
 * Where an object's rectification orders (整改) stand, folded from the accountability events
 * (RectificationOrdered, RectificationOverdue, RectificationClosed). Services that let the result
 * reach the budget (declaration's results gate, evaluation's BudgetAdjustmentRecommended) keep
 * this record per object, since they never read accountability's table. The fold is
 * order-independent and idempotent: a redelivered or late event never moves an order back
 * (closed stays closed; overdue stays overdue until closed). Pure.
 */

export interface OrderStanding {
  status: 'open' | 'overdue' | 'closed';
  /** Closed orders: within the deadline. */
  closedOnTime?: boolean;
  /** YYYY-MM-DD (China Standard Time). */
  deadline?: string;
  source?: string;
}

/** Orders about one object, by order id. */
export type RectificationRecord = Record<string, OrderStanding>;

export type RectificationEvent =
  | { detailType: 'RectificationOrdered'; data: { orderId: string; deadline: string; source: { kind: string } } }
  | { detailType: 'RectificationOverdue'; data: { orderId: string; deadline?: string } }
  | { detailType: 'RectificationClosed'; data: { orderId: string; onTime: boolean } };

const RANK: Record<OrderStanding['status'], number> = { open: 0, overdue: 1, closed: 2 };

export function foldRectification(record: RectificationRecord, event: RectificationEvent): RectificationRecord {
  const { orderId } = event.data;
  const current = record[orderId];
  let next: OrderStanding;
  switch (event.detailType) {
    case 'RectificationOrdered':
      next = { status: 'open', deadline: event.data.deadline, source: event.data.source.kind };
      break;
    case 'RectificationOverdue':
      next = { status: 'overdue', ...(event.data.deadline ? { deadline: event.data.deadline } : {}) };
      break;
    case 'RectificationClosed':
      next = { status: 'closed', closedOnTime: event.data.onTime };
      break;
  }
  // Details learnt from any event are kept; the status only moves forward.
  const merged: OrderStanding = { ...current, ...next, ...(current?.source ? { source: current.source } : {}) };
  if (current && RANK[current.status] > RANK[next.status]) merged.status = current.status;
  if (current?.closedOnTime !== undefined) merged.closedOnTime = current.closedOnTime;
  if (merged.status !== 'closed') delete merged.closedOnTime;
  if (current?.deadline && !next.deadline) merged.deadline = current.deadline;
  return { ...record, [orderId]: merged };
}

export interface RectificationSummary {
  orders: number;
  /** Open and within the deadline (as of `today`). */
  open: number;
  /** Open past the deadline: not rectified. */
  overdue: number;
  closedOnTime: number;
  /** Closed after the deadline: rectified late. */
  closedLate: number;
}

/** The record as of `today` (YYYY-MM-DD): an open order past its deadline counts as overdue even before its event. */
export function summarizeRectification(record: RectificationRecord | undefined, today: string): RectificationSummary {
  const out: RectificationSummary = { orders: 0, open: 0, overdue: 0, closedOnTime: 0, closedLate: 0 };
  for (const o of Object.values(record ?? {})) {
    out.orders++;
    if (o.status === 'closed') {
      if (o.closedOnTime === false) out.closedLate++;
      else out.closedOnTime++;
    } else if (o.status === 'overdue' || (o.deadline !== undefined && o.deadline < today)) out.overdue++;
    else out.open++;
  }
  return out;
}

/** Not rectified, or rectified late: what the rules let reach the budget (财预〔2020〕10号). */
export const unrectified = (s: RectificationSummary): number => s.overdue + s.closedLate;

/** Today's date in China Standard Time (UTC+8), YYYY-MM-DD: deadlines are Chinese calendar days. */
export const chinaToday = (now: Date): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
