import { describe, expect, it } from 'vitest';
import { withoutSpentSecrets, type StoredSubscription } from '../../services/accountability/store/alerts.ts';
import deviationExample from '../../events/examples/MonitoringDeviation.v1.json' with { type: 'json' };
import {
  alertFacts,
  alertIdFor,
  alertTitle,
  deliveryOutcome,
  matchesFilters,
  severityOf,
  signWebhook,
  verifyWebhookSignature,
  webhookUrlProblem,
  withinDivision,
  type AlertableEvent,
  type SubscriptionFilters,
} from '../../services/accountability/domain/alerts.ts';

const actor = { sub: 'u1', role: 'unit', region: '360000', department: 'D-ACTOR', unit: 'U-ACTOR' };
const ev = (detailType: string, data: unknown, extra: Partial<AlertableEvent['meta']> = {}): AlertableEvent => ({
  detailType,
  meta: { eventId: '00000000-0000-4000-8000-000000000001', occurredAt: '2027-08-05T02:00:00.000Z', region: '360000', subject: { type: 'project', id: 'obj_abcdefghij' }, actor, ...extra },
  data,
});
const object = { id: 'obj_abcdefghij', name: '高标准农田建设', department: 'D-X', unit: 'U-X1', fiscalYear: 2027, region: '360000' };
const filters = (f: Partial<SubscriptionFilters> = {}): SubscriptionFilters => ({ regions: ['360000'], departments: [], eventTypes: [], minSeverity: 'info', ...f });

describe('severity', () => {
  it('rates an opened accountability case critical', () => expect(severityOf(ev('AccountabilityCaseOpened', { object }))).toBe('critical'));
  it('rates overdue rectification and funding pause high', () => {
    expect(severityOf(ev('RectificationOverdue', {}))).toBe('high');
    expect(severityOf(ev('FundingPauseRecommended', { object }))).toBe('high');
  });
  it('rates a red deviation high and a yellow one medium', () => {
    expect(severityOf(ev('MonitoringDeviation', { light: 'red' }))).toBe('high');
    expect(severityOf(ev('MonitoringDeviation', { light: 'yellow' }))).toBe('medium');
  });
  it('rates an evaluation by grade: poor high, fair medium, good info', () => {
    expect(severityOf(ev('EvaluationCompleted', { grade: 'poor' }))).toBe('high');
    expect(severityOf(ev('EvaluationCompleted', { grade: 'fair' }))).toBe('medium');
    expect(severityOf(ev('EvaluationCompleted', { grade: 'good' }))).toBe('info');
  });
  it('rates a rejected target medium and a returned one low', () => {
    expect(severityOf(ev('TargetRejected', { outcome: 'rejected' }))).toBe('medium');
    expect(severityOf(ev('TargetRejected', { outcome: 'returned' }))).toBe('low');
  });
  it('rates an escalated missing report medium', () => expect(severityOf(ev('MonitoringEscalated', {}))).toBe('medium'));
  it('rates unknown and routine events info', () => {
    expect(severityOf(ev('TargetApproved', {}))).toBe('info');
    expect(severityOf(ev('SomethingNew', {}))).toBe('info');
  });
});

describe('facts of an event', () => {
  it('reads department, unit, year and object from data.object', () => {
    expect(alertFacts(ev('MonitoringDeviation', { object }))).toEqual({ region: '360000', department: 'D-X', unit: 'U-X1', fiscalYear: 2027, objectId: 'obj_abcdefghij', objectName: '高标准农田建设' });
  });
  it('reads the approved snapshot object of a target approval', () => {
    expect(alertFacts(ev('TargetApproved', { snapshot: { object } })).department).toBe('D-X');
  });
  it('reads the owner of a rectification order', () => {
    expect(alertFacts(ev('RectificationOrdered', { owner: { department: 'D-OWN', unit: 'U-OWN' } }))).toMatchObject({ department: 'D-OWN', unit: 'U-OWN' });
  });
  it('falls back to the actor department when the data names none', () => {
    expect(alertFacts(ev('IndicatorPublished', { indicatorId: 'x' }, { subject: { type: 'indicator', id: 'ind_1' } }))).toEqual({ region: '360000', department: 'D-ACTOR', unit: 'U-ACTOR' });
  });
  it('takes the region from meta.region', () => {
    expect(alertFacts(ev('MonitoringDeviation', { object }, { region: '360100' })).region).toBe('360100');
  });
  it('reads the real MonitoringDeviation example', () => {
    const e = { detailType: 'MonitoringDeviation', ...deviationExample } as AlertableEvent;
    expect(alertFacts(e)).toMatchObject({ department: 'D-AGRI', unit: 'U-AGRI-03', fiscalYear: 2027 });
    expect(severityOf(e)).toBe('high');
  });
});

describe('filters', () => {
  const facts = alertFacts(ev('MonitoringDeviation', { object, light: 'red' }));
  it('passes an event of a subscribed department', () => expect(matchesFilters(filters({ departments: ['D-X'] }), 'MonitoringDeviation', facts, 'high')).toBe(true));
  it('stops an event of another department', () => expect(matchesFilters(filters({ departments: ['D-Y'] }), 'MonitoringDeviation', facts, 'high')).toBe(false));
  it('stops an event without a department when departments are named', () =>
    expect(matchesFilters(filters({ departments: ['D-X'] }), 'IndicatorPublished', { region: '360000' }, 'info')).toBe(false));
  it('stops an event of another region', () => expect(matchesFilters(filters({ regions: ['360100'] }), 'MonitoringDeviation', facts, 'high')).toBe(false));
  it('stops event types not listed, passes listed ones', () => {
    expect(matchesFilters(filters({ eventTypes: ['EvaluationCompleted'] }), 'MonitoringDeviation', facts, 'high')).toBe(false);
    expect(matchesFilters(filters({ eventTypes: ['MonitoringDeviation'] }), 'MonitoringDeviation', facts, 'high')).toBe(true);
  });
  it('stops events below the minimum severity and passes those at it', () => {
    expect(matchesFilters(filters({ minSeverity: 'high' }), 'MonitoringDeviation', facts, 'medium')).toBe(false);
    expect(matchesFilters(filters({ minSeverity: 'high' }), 'MonitoringDeviation', facts, 'high')).toBe(true);
  });
  it('accepts divisions within the supervisor region only', () => {
    expect(withinDivision('360000', '360102')).toBe(true);
    expect(withinDivision('360100', '360102')).toBe(true);
    expect(withinDivision('360100', '360200')).toBe(false);
    expect(withinDivision('360000', '110000')).toBe(false);
  });
});

describe('titles and ids', () => {
  it('titles a case opened for two poor years', () => {
    expect(alertTitle(ev('AccountabilityCaseOpened', { object, rule: 'poor_two_years' }))).toBe('「高标准农田建设」连续两年评价为差，已立案问责');
  });
  it('titles a red deviation with its window', () => {
    expect(alertTitle(ev('MonitoringDeviation', { object, light: 'red', window: { label: '1~7月' } }))).toBe('「高标准农田建设」监控亮红灯（1~7月）');
  });
  it('gives the same alert id for the same subscription and event, another for another subscription', () => {
    expect(alertIdFor('asub_a', 'e1')).toBe(alertIdFor('asub_a', 'e1'));
    expect(alertIdFor('asub_a', 'e1')).not.toBe(alertIdFor('asub_b', 'e1'));
    expect(alertIdFor('asub_a', 'e1')).toMatch(/^alr_[a-f0-9]{32}$/);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"alr_1","severity":"high"}';
  const t = 1_800_000_000;
  it('signs as t=<seconds>,v1=<hex hmac of "t.body">', () => {
    expect(signWebhook(secret, body, t)).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
  });
  it('verifies its own signature', () => expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, t), t + 10, 300)).toEqual({ ok: true, timestamp: t }));
  it('refuses a tampered body', () => expect(verifyWebhookSignature(secret, body.replace('high', 'low'), signWebhook(secret, body, t), t, 300)).toEqual({ ok: false, reason: 'mismatch' }));
  it('refuses another secret', () => expect(verifyWebhookSignature('whsec_other', body, signWebhook(secret, body, t), t, 300)).toMatchObject({ ok: false, reason: 'mismatch' }));
  it('refuses a stale timestamp (replay)', () => expect(verifyWebhookSignature(secret, body, signWebhook(secret, body, t), t + 301, 300)).toEqual({ ok: false, reason: 'stale' }));
  it('refuses a timestamp altered to look fresh', () => {
    const header = signWebhook(secret, body, t).replace(`t=${t}`, `t=${t + 1000}`);
    expect(verifyWebhookSignature(secret, body, header, t + 1000, 300)).toEqual({ ok: false, reason: 'mismatch' });
  });
  it('refuses a missing or malformed header', () => {
    expect(verifyWebhookSignature(secret, body, undefined, t, 300)).toMatchObject({ reason: 'malformed' });
    expect(verifyWebhookSignature(secret, body, 'v1=abc', t, 300)).toMatchObject({ reason: 'malformed' });
  });
  it('after a rotation signs with both secrets so either verifies', () => {
    const header = signWebhook(['whsec_new', 'whsec_old'], body, t);
    expect(verifyWebhookSignature('whsec_new', body, header, t, 300).ok).toBe(true);
    expect(verifyWebhookSignature('whsec_old', body, header, t, 300).ok).toBe(true);
  });
});

describe('delivery outcomes and webhook URLs', () => {
  it('retries 408, 429, 5xx and network errors; fails other 4xx for good; 2xx delivered', () => {
    expect([200, 204, 408, 429, 500, 503, undefined, 400, 404, 410, 301].map(deliveryOutcome)).toEqual(['delivered', 'delivered', 'retry', 'retry', 'retry', 'retry', 'retry', 'failed', 'failed', 'failed', 'failed']);
  });
  it('accepts a public https URL', () => expect(webhookUrlProblem('https://alerts.example.gov.cn/jixiao', false)).toBeUndefined());
  it('refuses plain http to a public host even on the local runtime', () => expect(webhookUrlProblem('http://alerts.example.gov.cn/', true)).toMatch(/https/));
  it('allows plain http to loopback only when loopback webhooks are allowed', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', true)).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', false)).toMatch(/https/);
  });
  it('refuses private, link-local and metadata literal addresses', () => {
    for (const url of ['https://10.1.2.3/', 'https://192.168.1.1/', 'https://172.20.0.1/', 'https://169.254.169.254/latest', 'https://[fd00::1]/', 'https://[fe80::1]/', 'https://0.0.0.0/', 'https://[::ffff:10.0.0.1]/']) {
      expect(webhookUrlProblem(url, true), url).toMatch(/internal/);
    }
  });
  it('refuses the benchmarking, IETF, NAT64 and 6to4 ranges a hand-written list missed', () => {
    for (const url of ['https://198.18.0.1/', 'https://198.19.255.254/', 'https://192.0.0.8/', 'https://[64:ff9b::a00:1]/', 'https://[2002:a00:1::]/', 'https://[2001::1]/', 'https://240.0.0.1/']) {
      expect(webhookUrlProblem(url, false), url).toMatch(/internal/);
    }
  });
  it('accepts public IPv4 and IPv6 literals, also an IPv4-mapped public one', () => {
    for (const url of ['https://8.8.8.8/', 'https://[2400:cb00::1]/', 'https://[::ffff:8.8.8.8]/', 'https://198.20.0.1/']) {
      expect(webhookUrlProblem(url, false), url).toBeUndefined();
    }
  });
  it('refuses credentials in the URL and other schemes', () => {
    expect(webhookUrlProblem('https://user:pw@example.com/', false)).toMatch(/credentials/);
    expect(webhookUrlProblem('ftp://example.com/', false)).toMatch(/https/);
  });
});

describe('subscription secrets at rest', () => {
  // Sealed secrets as stored (shared/keys/secret-box.ts); their content does not matter here.
  const sealed = (tag: string) => ({ v: 1 as const, wrappedKey: `wk-${tag}`, iv: `iv-${tag}`, tag: `tag-${tag}`, data: `data-${tag}` });
  const stored: StoredSubscription = {
    id: 'asub_1',
    version: 2,
    supervisor: 'npc-1',
    region: '360000',
    filters: { regions: ['360000'], departments: [], eventTypes: [], minSeverity: 'info' },
    webhook: { url: 'https://alerts.example.gov.cn/jixiao' },
    active: true,
    createdAt: '2031-03-01T00:00:00.000Z',
    createdBy: 'npc-1',
    updatedAt: '2031-03-02T00:00:00.000Z',
    sealedSigningSecret: sealed('new'),
    sealedPreviousSecret: sealed('old'),
    previousSecretUntil: '2031-03-03T00:00:00.000Z',
  };

  it('keeps the previous secret during the rotation overlap', () => {
    expect(withoutSpentSecrets(stored, new Date('2031-03-02T12:00:00.000Z'))).toEqual(stored);
  });

  it('erases the previous secret and its deadline once the overlap has ended', () => {
    const kept = withoutSpentSecrets(stored, new Date('2031-03-03T00:00:00.000Z'));
    expect(kept.sealedSigningSecret).toEqual(sealed('new'));
    expect(kept).not.toHaveProperty('sealedPreviousSecret');
    expect(kept).not.toHaveProperty('previousSecretUntil');
  });

  it('keeps no secret on a deactivated subscription', () => {
    const kept = withoutSpentSecrets({ ...stored, active: false }, new Date('2031-03-02T12:00:00.000Z'));
    expect(kept).not.toHaveProperty('sealedSigningSecret');
    expect(kept).not.toHaveProperty('sealedPreviousSecret');
  });
});

describe('alerts of the rules issue’s new events', () => {
  it('rates a dissatisfied People’s Congress rating medium, a satisfied one info, and titles it in Chinese', () => {
    const rated = (satisfaction: string) => ev('KeyEvaluationRated', { satisfaction, object });
    expect(severityOf(rated('dissatisfied'))).toBe('medium');
    expect(severityOf(rated('satisfied'))).toBe('info');
    expect(alertTitle(rated('dissatisfied'))).toContain('不满意');
  });
  it('rates an idle-funds recovery medium and names the amount', () => {
    const idle = ev('IdleFundsRecoveryRecommended', { idleWan: 300, object });
    expect(severityOf(idle)).toBe('medium');
    expect(alertTitle(idle)).toContain('300万元');
  });
});
