/**
 * Rectification orders (整改): an issue found by monitoring (a red deviation), an evaluation
 * (a grade the region's rules name), an audit, or by hand; its owner (the department, and
 * the unit when the issue is a unit's), a deadline, evidence, and finance's review.
 *
 *   open ──evidence──▶ evidence_submitted ──accept──▶ closed
 *     ▲                        │
 *     └──────reject (reason)───┘
 *
 * Deadlines are China Standard Time calendar days (UTC+8), as monitoring's due dates: an order
 * due 2027-06-30 is on time until midnight that day. An open order past its deadline is overdue
 * and escalated, then escalated again every `escalateEveryDays` while it stays open. An order
 * waiting for finance's review is not overdue (the owner has answered). Pure.
 */
import { createHash } from 'node:crypto';
import type { AccountabilityRules } from './rules.ts';
import type { CaseObject } from './case.ts';

export const RECTIFICATION_SOURCES = ['deviation', 'evaluation', 'audit', 'manual'] as const;
export type RectificationSourceKind = (typeof RECTIFICATION_SOURCES)[number];

export const RECTIFICATION_STATUSES = ['open', 'evidence_submitted', 'closed'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

export const RECTIFICATION_ENTRY_TYPES = ['ordered', 'evidence', 'accepted', 'rejected', 'escalated'] as const;
export type RectificationEntryType = (typeof RECTIFICATION_ENTRY_TYPES)[number];

export interface RectificationSource {
  kind: RectificationSourceKind;
  /** What it comes from: the monitoring report / window, the evaluation id, the audit report number, or a free reference. */
  reference: string;
  eventId?: string;
}

export interface RectificationOwner {
  department: string;
  unit?: string;
}

export interface RectificationEvidence {
  text: string;
  attachments: string[];
  at: string;
  by: string;
}

export interface RectificationOrder {
  id: string;
  /** +1 per entry; the ETag. */
  version: number;
  region: string;
  /** The object's fiscal year, or the year (CST) the order was made when it has no object. */
  fiscalYear: number;
  source: RectificationSource;
  object?: CaseObject;
  owner: RectificationOwner;
  issue: string;
  /** What the owner must do (optional detail beside the issue). */
  requirement?: string;
  /** YYYY-MM-DD, China Standard Time. */
  deadline: string;
  status: RectificationStatus;
  /** 0 until the first escalation, +1 per escalation. */
  escalationLevel: number;
  lastEscalatedAt?: string;
  /** The latest evidence submitted. */
  evidence?: RectificationEvidence;
  /** How many times finance rejected the evidence. */
  rejections: number;
  closedAt?: string;
  closedBy?: string;
  /** Closed with evidence submitted by the deadline. */
  closedOnTime?: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  lastSeq: number;
  lastHash: string;
}

const DAY_MS = 86_400_000;

/** The calendar date in China Standard Time. */
export const chinaDate = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** The instant a deadline ends: 24:00 China Standard Time. */
export const deadlineEnd = (deadline: string) => Date.parse(`${deadline}T00:00:00+08:00`) + DAY_MS;

/** A deadline `days` calendar days (CST) after `from`. */
export function deadlineAfter(from: Date, days: number): string {
  const d = new Date(Date.parse(`${chinaDate(from)}T00:00:00Z`) + days * DAY_MS);
  return d.toISOString().slice(0, 10);
}

/** Whether a YYYY-MM-DD string is a real calendar date. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** Calendar days past the deadline (CST): 1 on the day after it, 0 on the day itself, negative before. */
export const daysOverdue = (deadline: string, now: Date) => Math.round((Date.parse(chinaDate(now)) - Date.parse(deadline)) / DAY_MS);

/** Overdue: still open (no evidence waiting for review) after the deadline's day has ended. */
export function isOverdue(order: Pick<RectificationOrder, 'status' | 'deadline'>, now: Date): boolean {
  return order.status === 'open' && now.getTime() >= deadlineEnd(order.deadline);
}

/**
 * The escalation level an order should have reached by `now`: 0 while not overdue, 1 from the
 * first day after the deadline, +1 every `escalateEveryDays` after that while it stays open.
 */
export function escalationLevelDue(order: Pick<RectificationOrder, 'status' | 'deadline'>, now: Date, rules: Pick<AccountabilityRules, 'rectification'>): number {
  if (!isOverdue(order, now)) return 0;
  const every = Math.max(1, rules.rectification.escalateEveryDays);
  return 1 + Math.floor((now.getTime() - deadlineEnd(order.deadline)) / (every * DAY_MS));
}

/** The next escalation to make now, if any: one level at a time (each its own entry and event). */
export function nextEscalation(order: Pick<RectificationOrder, 'status' | 'deadline' | 'escalationLevel'>, now: Date, rules: Pick<AccountabilityRules, 'rectification'>): number | undefined {
  const due = escalationLevelDue(order, now, rules);
  return due > order.escalationLevel ? order.escalationLevel + 1 : undefined;
}

export type RectificationAction = 'order' | 'evidence' | 'review' | 'read';

export interface ActorLike {
  role: string;
  department?: string;
  unit?: string;
}

/** Whether the actor may act on (or read) an order: finance and supervisors of the region; the owner department; the owner unit. */
export function mayActOnOrder(actor: ActorLike, order: Pick<RectificationOrder, 'owner'>, action: RectificationAction): boolean {
  const ownDepartment = actor.role === 'department' && !!actor.department && actor.department === order.owner.department;
  const ownUnit = actor.role === 'unit' && !!actor.unit && actor.unit === order.owner.unit && (!actor.department || actor.department === order.owner.department);
  switch (action) {
    case 'order':
      return actor.role === 'finance' || actor.role === 'supervisor';
    case 'read':
      return actor.role === 'finance' || actor.role === 'supervisor' || ownDepartment || ownUnit;
    case 'evidence':
      return ownDepartment || ownUnit;
    case 'review':
      return actor.role === 'finance';
  }
}

/** Evidence is accepted while the order is open or already has evidence waiting (more may be added). */
export function evidenceViolation(order: Pick<RectificationOrder, 'status'>): string | undefined {
  return order.status === 'closed' ? 'The order is closed; no more evidence is taken' : undefined;
}

export function submitEvidence(order: RectificationOrder, evidence: { text: string; attachments?: string[] }, by: string, at: string): RectificationOrder {
  return { ...order, status: 'evidence_submitted', evidence: { text: evidence.text.trim(), attachments: evidence.attachments ?? [], at, by }, updatedAt: at };
}

export function reviewViolation(order: Pick<RectificationOrder, 'status'>): string | undefined {
  return order.status === 'evidence_submitted' ? undefined : `The order is ${order.status}; only submitted evidence is reviewed`;
}

/** Accept: closed; on time when the accepted evidence came in by the deadline. */
export function accept(order: RectificationOrder, by: string, at: string): RectificationOrder {
  const onTime = !!order.evidence && Date.parse(order.evidence.at) < deadlineEnd(order.deadline);
  return { ...order, status: 'closed', closedAt: at, closedBy: by, closedOnTime: onTime, updatedAt: at };
}

/** Reject (with the reason, kept in the entry): back to open, the deadline unchanged. */
export function reject(order: RectificationOrder, at: string): RectificationOrder {
  return { ...order, status: 'open', rejections: order.rejections + 1, updatedAt: at };
}

export function escalate(order: RectificationOrder, level: number, at: string): RectificationOrder {
  return { ...order, escalationLevel: level, lastEscalatedAt: at, updatedAt: at };
}

/** Orders made on a trigger get an id derived from their source, so a redelivered event cannot order twice. */
export function triggeredOrderId(kind: 'deviation' | 'evaluation', objectId: string, reference: string): string {
  return `rect_${createHash('sha256').update(`${kind}#${objectId}#${reference}`).digest('hex').slice(0, 24)}`;
}

/** Counts for assessments (rectification completion) and the People's Congress report. */
export interface RectificationCounts {
  total: number;
  closed: number;
  closedOnTime: number;
  open: number;
  overdue: number;
}

export function countOrders(orders: readonly Pick<RectificationOrder, 'status' | 'deadline' | 'closedOnTime'>[], now: Date): RectificationCounts {
  const out: RectificationCounts = { total: 0, closed: 0, closedOnTime: 0, open: 0, overdue: 0 };
  for (const o of orders) {
    out.total++;
    if (o.status === 'closed') {
      out.closed++;
      if (o.closedOnTime) out.closedOnTime++;
    } else {
      out.open++;
      if (isOverdue(o, now)) out.overdue++;
    }
  }
  return out;
}
