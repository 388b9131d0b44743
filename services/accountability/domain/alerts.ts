/**
 * Supervisor alerts (pure): how severe each event is, which object, department, unit and fiscal
 * year it is about, whether a subscription's filters match it, its short title, the
 * deterministic alert id, and the webhook signature (Stripe-style HMAC-SHA256).
 *
 * Severity table (order info < low < medium < high < critical). An event type not listed is
 * `info`; a listed type with a condition that does not hold falls to the "otherwise" level.
 *
 * | event                          | severity                                                        |
 * |--------------------------------|-----------------------------------------------------------------|
 * | AccountabilityCaseOpened       | critical                                                        |
 * | RectificationOverdue           | high                                                            |
 * | FundingPauseRecommended        | high                                                            |
 * | IdleFundsRecoveryRecommended   | medium (money to recover or reallocate; no fault found yet)     |
 * | MonitoringDeviation            | high when light red; medium when yellow                         |
 * | EvaluationCompleted            | high when grade poor (差); medium when fair (中); otherwise info |
 * | AccountabilityCaseDecided      | medium (supervisors follow what became of a case)               |
 * | MonitoringEscalated            | medium (report missing past the grace period)                   |
 * | TargetRejected                 | medium when outcome rejected (kept out of the budget); low when returned |
 * | KeyEvaluationRated             | medium when the People's Congress is dissatisfied (不满意); otherwise info |
 * | BudgetAdjustmentRecommended    | medium when cancel; low when cut; otherwise info                |
 * | RectificationOrdered           | low                                                             |
 * | EvaluationSubmitted            | low when grade poor; otherwise info                             |
 * | ExAnteAssessed                 | low when the conclusion is not_supported; otherwise info        |
 * | DisclosureWithdrawn            | low (something public was taken down)                           |
 * | AssessmentPublished            | low                                                             |
 * | everything else                | info (declarations, approvals, reports, corrections, reminders, library changes, closures) |
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { SATISFACTION_LABELS } from '../../../events/evaluation-ratings.ts';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** The parts of an event alert matching reads: type, meta and data (any schema). */
export interface AlertableEvent {
  detailType: string;
  source?: string;
  meta: {
    eventId: string;
    occurredAt: string;
    region: string;
    subject: { type: string; id: string };
    actor: { sub: string; role: string; region: string; department?: string; unit?: string };
  };
  data: unknown;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const dataOf = (e: AlertableEvent): Dict => (isDict(e.data) ? e.data : {});

export function severityOf(event: AlertableEvent): Severity {
  const d = dataOf(event);
  switch (event.detailType) {
    case 'AccountabilityCaseOpened':
      return 'critical';
    case 'RectificationOverdue':
    case 'FundingPauseRecommended':
      return 'high';
    case 'MonitoringDeviation':
      return d.light === 'red' ? 'high' : 'medium';
    case 'EvaluationCompleted':
      return d.grade === 'poor' ? 'high' : d.grade === 'fair' ? 'medium' : 'info';
    case 'AccountabilityCaseDecided':
    case 'MonitoringEscalated':
    case 'IdleFundsRecoveryRecommended':
      return 'medium';
    case 'TargetRejected':
      return d.outcome === 'rejected' ? 'medium' : 'low';
    case 'KeyEvaluationRated':
      return d.satisfaction === 'dissatisfied' ? 'medium' : 'info';
    case 'BudgetAdjustmentRecommended':
      return d.recommendation === 'cancel' ? 'medium' : d.recommendation === 'cut' ? 'low' : 'info';
    case 'RectificationOrdered':
    case 'DisclosureWithdrawn':
    case 'AssessmentPublished':
      return 'low';
    case 'EvaluationSubmitted':
      return d.grade === 'poor' ? 'low' : 'info';
    case 'ExAnteAssessed': {
      const conclusion = isDict(d.override) ? d.override.conclusion : d.conclusion;
      return conclusion === 'not_supported' ? 'low' : 'info';
    }
    default:
      return 'info';
  }
}

/** What an event is about, read without knowing its schema. */
export interface AlertFacts {
  region: string;
  department?: string;
  unit?: string;
  fiscalYear?: number;
  objectId?: string;
  objectName?: string;
}

const OBJECT_SUBJECTS = new Set(['project', 'department_overall', 'transfer_payment']);

/**
 * Looks, in order, at `data.object`, `data.snapshot.object` (target approvals), `data.owner`
 * (rectification orders), `data.case.object`, then `data` itself, and last at the actor
 * (`meta.actor.department` / `unit`) for events that name no owner.
 */
export function alertFacts(event: AlertableEvent): AlertFacts {
  const d = dataOf(event);
  const candidates: Dict[] = [];
  const push = (v: unknown) => {
    if (isDict(v)) candidates.push(v);
  };
  push(d.object);
  if (isDict(d.snapshot)) push(d.snapshot.object);
  push(d.owner);
  if (isDict(d.case)) push(d.case.object);
  push(d);
  const first = <T>(read: (c: Dict) => T | undefined): T | undefined => {
    for (const c of candidates) {
      const v = read(c);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const department = first((c) => str(c.department)) ?? str(event.meta.actor.department);
  const unit = first((c) => str(c.unit)) ?? str(event.meta.actor.unit);
  const fiscalYear = first((c) => int(c.fiscalYear) ?? int(c.year)) ?? (isDict(d.window) ? int(d.window.fiscalYear) : undefined);
  const objectFromData = first((c) => (str(c.id)?.startsWith('obj_') ? str(c.id) : undefined) ?? str(c.objectId));
  const objectId = objectFromData ?? (OBJECT_SUBJECTS.has(event.meta.subject.type) ? event.meta.subject.id : undefined);
  const objectName = first((c) => str(c.name) ?? str(c.objectName));
  return {
    region: event.meta.region,
    ...(department ? { department } : {}),
    ...(unit ? { unit } : {}),
    ...(fiscalYear !== undefined ? { fiscalYear } : {}),
    ...(objectId ? { objectId } : {}),
    ...(objectName ? { objectName } : {}),
  };
}

export interface SubscriptionFilters {
  /** Division codes; never empty (defaults to the supervisor's region at creation). */
  regions: string[];
  /** Empty: every department. */
  departments: string[];
  /** Empty: every alertable event type. */
  eventTypes: string[];
  minSeverity: Severity;
}

/** Whether a subscription's filters let an event through. */
export function matchesFilters(filters: SubscriptionFilters, eventType: string, facts: AlertFacts, severity: Severity): boolean {
  if (!filters.regions.includes(facts.region)) return false;
  if (filters.departments.length > 0 && (!facts.department || !filters.departments.includes(facts.department))) return false;
  if (filters.eventTypes.length > 0 && !filters.eventTypes.includes(eventType)) return false;
  return severityRank(severity) >= severityRank(filters.minSeverity);
}

/**
 * Whether division `code` lies within `parent` (GB/T 2260: 36xxxx is in 360000, 3601xx in
 * 360100); a supervisor may subscribe to its own region and the divisions below it.
 */
export function withinDivision(parent: string, code: string): boolean {
  if (!/^\d{6}$/.test(parent) || !/^\d{6}$/.test(code)) return false;
  if (parent === code) return true;
  if (parent.endsWith('0000')) return code.startsWith(parent.slice(0, 2));
  if (parent.endsWith('00')) return code.startsWith(parent.slice(0, 4));
  return false;
}

const GRADE_LABEL: Record<string, string> = { excellent: '优', good: '良', fair: '中', poor: '差' };
const RECOMMENDATION_LABEL: Record<string, string> = { priority: '优先支持', maintain: '维持', improve: '改进', cut: '削减', cancel: '取消' };

/** A short human title (Chinese), e.g. "「XX项目」连续两年评价为差，已立案问责". */
export function alertTitle(event: AlertableEvent, facts: AlertFacts = alertFacts(event)): string {
  const d = dataOf(event);
  const who = facts.objectName ? `「${facts.objectName}」` : facts.objectId ? `对象 ${facts.objectId}` : facts.department ? `部门 ${facts.department}` : '';
  const windowLabel = isDict(d.window) && str(d.window.label) ? `（${str(d.window.label)}）` : '';
  const caseText = [d.rule, d.trigger, d.reason, d.basis].filter((v) => typeof v === 'string').join(' ');
  switch (event.detailType) {
    case 'AccountabilityCaseOpened':
      return /poor|差/.test(caseText) ? `${who}连续两年评价为差，已立案问责` : /red|红/.test(caseText) ? `${who}红灯偏离未纠正，已立案问责` : `${who}已立案问责`;
    case 'AccountabilityCaseDecided':
      return `${who}问责案件已作出决定`;
    case 'RectificationOrdered':
      return `${who}被责令整改`;
    case 'RectificationOverdue':
      return `${who}整改逾期未完成`;
    case 'RectificationClosed':
      return `${who}整改已办结`;
    case 'FundingPauseRecommended':
      return `${who}建议暂缓或停止拨款${windowLabel}`;
    case 'KeyEvaluationRated':
    {
      const label = (SATISFACTION_LABELS as Readonly<Record<string, string>>)[String(d.satisfaction)];
      return `${who}重点绩效评价报告已由人大测评${label ? `（${label}）` : ''}`;
    }
    case 'IdleFundsRecoveryRecommended':
      return `${who}资金执行严重滞后，建议收回闲置资金${typeof d.idleWan === 'number' ? `${d.idleWan}万元` : ''}${windowLabel}`;
    case 'MonitoringDeviation':
      return `${who}监控亮${d.light === 'red' ? '红' : '黄'}灯${windowLabel}`;
    case 'DeviationCorrected':
      return `${who}监控偏离已纠正${windowLabel}`;
    case 'MonitoringEscalated':
      return `${who}监控报告逾期未报，已上报${windowLabel}`;
    case 'MonitoringReminderSent':
      return `${who}监控报告催报${windowLabel}`;
    case 'MonitoringReported':
      return `${who}已报送监控报告${windowLabel}`;
    case 'EvaluationCompleted':
      return `${who}绩效评价完成，等级为${GRADE_LABEL[String(d.grade)] ?? String(d.grade)}`;
    case 'EvaluationSubmitted':
      return `${who}提交绩效自评，等级为${GRADE_LABEL[String(d.grade)] ?? String(d.grade)}`;
    case 'BudgetAdjustmentRecommended':
      return `${who}评价结果应用：建议${RECOMMENDATION_LABEL[String(d.recommendation)] ?? String(d.recommendation)}`;
    case 'TargetRejected':
      return d.outcome === 'rejected' ? `${who}绩效目标未通过审核，不得纳入预算` : `${who}绩效目标被退回修改`;
    case 'TargetApproved':
      return `${who}绩效目标已批复`;
    case 'TargetRevised':
      return `${who}绩效目标已调整`;
    case 'DeclarationSubmitted':
      return `${who}已申报绩效目标`;
    case 'ExAnteAssessed':
      return `${who}已完成事前绩效评估`;
    case 'AssessmentPublished':
      return `${facts.fiscalYear ?? ''}年度绩效考核结果已公布`;
    case 'DisclosurePublished':
      return `${who}信息已公开`;
    case 'DisclosureWithdrawn':
      return `${who}已撤回公开信息`;
    default:
      return `${who}${event.detailType}`;
  }
}

/** One alert per (subscription, event): a redelivered event maps to the same id. */
export function alertIdFor(subscriptionId: string, eventId: string): string {
  return `alr_${createHash('sha256').update(`${subscriptionId}\n${eventId}`).digest('hex').slice(0, 32)}`;
}

// ---------- webhook signatures ----------

export const SIGNATURE_HEADER = 'X-Jixiao-Signature';
export const ALERT_ID_HEADER = 'X-Jixiao-Alert-Id';
export const ATTEMPT_HEADER = 'X-Jixiao-Delivery-Attempt';
/** Receivers should refuse signatures older (or newer) than this. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, body: string, t: number) => createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. With several secrets
 * (right after a rotation) one `v1=` per secret, so a receiver still holding the previous
 * secret keeps verifying until it switches.
 */
export function signWebhook(secret: string | readonly string[], body: string, t: number): string {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new Error('signWebhook needs a secret');
  return [`t=${t}`, ...secrets.map((s) => `v1=${hmac(s, body, t)}`)].join(',');
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * What a receiver does: parse the header, refuse a timestamp more than `toleranceSeconds` away
 * from `now` (unix seconds; replays), recompute the HMAC over the raw body exactly as received
 * and compare in constant time with every `v1=` value.
 */
export function verifyWebhookSignature(secret: string, body: string, header: string | undefined, now: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): SignatureCheck {
  if (!header) return { ok: false, reason: 'malformed' };
  let t: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) signatures.push(v);
  }
  if (t === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now - t) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hmac(secret, body, t), 'hex');
  const ok = signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  return ok ? { ok: true, timestamp: t } : { ok: false, reason: 'mismatch' };
}

/** Which HTTP outcomes of a webhook delivery are worth retrying. */
export function deliveryOutcome(status: number | undefined): 'delivered' | 'retry' | 'failed' {
  if (status === undefined) return 'retry'; // network error, timeout
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'failed';
}

// ---------- webhook URLs ----------

/** Why a webhook URL is refused (undefined: acceptable). */
export function webhookUrlProblem(raw: string, allowLoopbackHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = isLoopbackHost(host);
  if (url.protocol === 'http:') {
    if (!loopback) return 'must use https';
    if (!allowLoopbackHttp) return 'must use https (plain http to a loopback host is allowed only on the local runtime)';
    return undefined;
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (loopback && !allowLoopbackHttp) return 'must not point to a loopback address';
  if (!loopback && isPrivateAddress(host)) return 'must not point to a private, link-local or otherwise internal address';
  return undefined;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Whether a host is not a public address: any IP literal outside public unicast by ipaddr.js's
 * ranges (private, loopback, link-local, CGNAT, benchmarking, IETF protocol assignments, NAT64,
 * 6to4, Teredo, multicast, reserved, unspecified; an IPv4-mapped IPv6 address by its IPv4), and
 * names that only mean something inside a network (localhost, *.internal, *.local). The delivery
 * checks again the address a name resolves to, when it connects (jobs/outbound.ts).
 */
export function isPrivateAddress(host: string): boolean {
  const h = host.toLowerCase();
  if (ipaddr.isValid(h)) {
    const address = ipaddr.parse(h);
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) return (address as ipaddr.IPv6).toIPv4Address().range() !== 'unicast';
    return address.range() !== 'unicast';
  }
  return h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.internal') || h.endsWith('.local');
}
