/**
 * The regions configuration: every administrative division Jixiao is deployed for, in one
 * place (docs/architecture.md). The CDK app makes each entry's stacks; nothing else in
 * `infra/` hard-codes a division, account, AWS region, identity provider or origin.
 *
 * Account ids, issuer URLs, origins and mail addresses below are placeholders until the
 * finance departments supply theirs; `cdk synth` works with them offline, `cdk deploy` needs
 * the real ones.
 */

import type { EventPattern } from '../shared/event-pattern.ts';

/** AWS partitions a region can live in. Derived from the AWS region, never configured. */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface IdentityProviderConfig {
  /** OIDC issuer URL of the provincial portal's identity provider (the JWT `iss`). */
  readonly issuer: string;
  /** Accepted JWT audiences (`aud`). */
  readonly audience: readonly string[];
}

/**
 * A fiscal year's rule parameters (docs/domain.md marks them [P]). Placeholder: the values are the
 * defaults seen in published rules, to be replaced by each finance department's own.
 */
export interface YearRules {
  /** Expiring projects at or above this amount need an ex-ante assessment for renewal. */
  readonly exAnteRenewalThresholdYuan: number;
  /** Lower bounds of the grades 优 / 良 / 中; below `fair` is 差. */
  readonly gradeBounds: { readonly excellent: number; readonly good: number; readonly fair: number };
  /** Months closing the cumulative monitoring windows ("1~N月"). */
  readonly monitoringWindowMonths: readonly number[];
}

/** API Gateway throttling: steady-state requests per second and burst. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Each route of the stage, unless the region configures `apiThrottle`. */
export const DEFAULT_API_THROTTLE: Throttle = { rateLimit: 100, burstLimit: 200 };

/**
 * Each public route (health, OpenAPI, disclosed data), unless the region configures
 * `publicThrottle`. Anonymous readers of disclosures share the API functions, and so their
 * Lambda concurrency, with the clerks who declare, report and review under a token; a crawler or
 * a flood on a public route must run into its own limit long before it takes that capacity. A
 * fifth of the default is ample for people reading published reports. The limit holds for each
 * public route on its own, so together they may take it times their number.
 */
export const DEFAULT_PUBLIC_THROTTLE: Throttle = { rateLimit: 20, burstLimit: 40 };

/**
 * Trail checkpoints are evidence that the cases and rectification orders of a year were not
 * rewritten afterwards. 10 years is the shortest fixed term 会计档案管理办法 (2015) sets for
 * finance records (monthly and quarterly reports, bank statements); vouchers and ledgers are
 * kept 30. Compliance mode cannot shorten a written object's lock, not even for the account's
 * root user, while a longer term can be configured at any time for new checkpoints, so the
 * default is the shortest defensible term and a region that must keep more sets its own.
 */
export const DEFAULT_CHECKPOINT_RETENTION_YEARS = 10;

export function apiThrottleOf(region: RegionConfig): Throttle {
  return region.apiThrottle ?? DEFAULT_API_THROTTLE;
}

export function publicThrottleOf(region: RegionConfig): Throttle {
  return region.publicThrottle ?? DEFAULT_PUBLIC_THROTTLE;
}

export function checkpointRetentionYearsOf(region: RegionConfig): number {
  return region.checkpointRetentionYears ?? DEFAULT_CHECKPOINT_RETENTION_YEARS;
}

export interface RegionConfig {
  /** Six-digit administrative division code (GB/T 2260). */
  readonly code: string;
  readonly name: { readonly zh: string; readonly pinyin: string };
  /**
   * Division code of the parent region, which receives the events in FORWARDED_TO_PARENT and
   * sends this region the events in FORWARDED_TO_CHILDREN.
   */
  readonly parent?: string;
  /** AWS account id of the region's stack. */
  readonly account: string;
  /** AWS region of the stack, e.g. `cn-northwest-1`; the partition follows from it. */
  readonly awsRegion: string;
  readonly identity: IdentityProviderConfig;
  /** Portal origins allowed by CORS. */
  readonly portalOrigins: readonly string[];
  /** Where alarms are mailed; without it the alarm topic has no subscription. */
  readonly alarmEmail?: string;
  /**
   * Steady-state requests per second and burst of each route of the HTTP API's `$default`
   * stage (API Gateway applies the stage's default route settings to every route on its own);
   * defaults to DEFAULT_API_THROTTLE.
   */
  readonly apiThrottle?: Throttle;
  /**
   * The same for each public route (manifest `auth: 'none'`); defaults to
   * DEFAULT_PUBLIC_THROTTLE and may not exceed `apiThrottle`.
   */
  readonly publicThrottle?: Throttle;
  /**
   * Years each trail checkpoint is locked (S3 Object Lock, compliance mode); defaults to
   * DEFAULT_CHECKPOINT_RETENTION_YEARS.
   */
  readonly checkpointRetentionYears?: number;
  /** Rule parameters by fiscal year. */
  readonly rules: Readonly<Record<number, YearRules>>;
}

/**
 * detail-types a lower-level region forwards to its parent's bus: what the parent needs to
 * assess lower-level finance (evaluation results, assessments, transfer-payment results).
 * Not all of them are in the event catalog yet; a rule for a type nobody publishes is inert.
 */
export const FORWARDED_TO_PARENT: readonly string[] = ['EvaluationCompleted', 'AssessmentPublished', 'TransferPaymentEvaluated'];

/**
 * detail-types a region forwards to each of its children's buses: the indicator library
 * (indicators and templates) a province publishes must be visible to its cities and counties,
 * which use it in their own targets and evaluations. Event-carried state: the child's
 * indicators service keeps what arrives in its own table.
 *
 * EventBridge forwards an event from one bus to another one hop only, so a county does not get
 * its province's library through its city's bus. The city's indicators service re-publishes
 * the entries it inherits through its own outbox (source `jixiao.indicators`, the city's
 * relay), and the city's downward rule forwards those: the rule matches the source and the
 * detail-types, never the region that first owned the indicator.
 *
 * Must stay disjoint from FORWARDED_TO_PARENT (validateRegions checks it): a type in both lists
 * would travel down, be re-published by the child and travel up again, for ever.
 */
export const FORWARDED_TO_CHILDREN: readonly string[] = ['IndicatorPublished', 'IndicatorRevised', 'IndicatorRetired', 'TemplatePublished', 'TemplateRetired'];

/** Source of the events forwarded downward: only the indicators service's library events. */
export const FORWARDED_TO_CHILDREN_SOURCE = 'jixiao.indicators';

/** Every Jixiao service publishes under `jixiao.<service>`. */
export const JIXIAO_SOURCE_PREFIX = 'jixiao.';

/** What a region's bus forwards to its parent's bus (the upward rule's pattern). */
export function upwardForwardingPattern(): EventPattern {
  return { source: [{ prefix: JIXIAO_SOURCE_PREFIX }], 'detail-type': [...FORWARDED_TO_PARENT] };
}

/** What a region's bus forwards to each child's bus (the downward rules' pattern). */
export function downwardForwardingPattern(): EventPattern {
  return { source: [FORWARDED_TO_CHILDREN_SOURCE], 'detail-type': [...FORWARDED_TO_CHILDREN] };
}

/** A rule on `from`'s bus whose target is `to`'s bus. */
export interface ForwardingRoute {
  readonly direction: 'to-parent' | 'to-child';
  readonly from: RegionConfig;
  readonly to: RegionConfig;
  readonly pattern: EventPattern;
}

/**
 * The forwarding rules on a region's bus: one to its parent (if any), one to each child. Never
 * one to a sibling: a city's own events reach another city of the province by no rule. Both the
 * CDK stack and the local runtime build their forwarding from this list.
 */
export function forwardingRoutes(region: RegionConfig, regions: readonly RegionConfig[] = REGIONS): ForwardingRoute[] {
  const parent = parentOf(region, regions);
  return [
    ...(parent ? [{ direction: 'to-parent' as const, from: region, to: parent, pattern: upwardForwardingPattern() }] : []),
    ...childrenOf(region, regions).map((child) => ({ direction: 'to-child' as const, from: region, to: child, pattern: downwardForwardingPattern() })),
  ];
}

/** detail-types forwarded both up and down (must be none, or events would loop). */
export function forwardedBothWays(up: readonly string[] = FORWARDED_TO_PARENT, down: readonly string[] = FORWARDED_TO_CHILDREN): string[] {
  return up.filter((type) => down.includes(type));
}

const DEFAULT_RULES: YearRules = {
  exAnteRenewalThresholdYuan: 10_000_000,
  gradeBounds: { excellent: 90, good: 80, fair: 60 },
  monitoringWindowMonths: [7],
};

export const REGIONS: readonly RegionConfig[] = [
  {
    code: '360000',
    name: { zh: '江西省', pinyin: 'Jiangxi' },
    account: '111111111111',
    awsRegion: 'cn-northwest-1',
    identity: { issuer: 'https://id.jxzwfww.gov.cn/oidc', audience: ['jixiao'] },
    portalOrigins: ['https://jixiao.jxf.gov.cn'],
    alarmEmail: 'jixiao-ops@jxf.gov.cn',
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
    rules: { 2025: DEFAULT_RULES, 2026: DEFAULT_RULES },
  },
  {
    code: '360100',
    name: { zh: '南昌市', pinyin: 'Nanchang' },
    parent: '360000',
    account: '222222222222',
    awsRegion: 'cn-northwest-1',
    identity: { issuer: 'https://id.jxzwfww.gov.cn/oidc', audience: ['jixiao-nanchang'] },
    portalOrigins: ['https://jixiao.czj.nc.gov.cn'],
    rules: { 2025: { ...DEFAULT_RULES, exAnteRenewalThresholdYuan: 5_000_000 }, 2026: DEFAULT_RULES },
  },
  {
    code: '360400',
    name: { zh: '九江市', pinyin: 'Jiujiang' },
    parent: '360000',
    account: '333333333333',
    awsRegion: 'cn-northwest-1',
    identity: { issuer: 'https://id.jxzwfww.gov.cn/oidc', audience: ['jixiao-jiujiang'] },
    portalOrigins: ['https://jixiao.czj.jiujiang.gov.cn'],
    rules: { 2025: DEFAULT_RULES, 2026: DEFAULT_RULES },
  },
];

export class UnknownRegionError extends Error {}

/** The partition of an AWS region (`cn-*` is aws-cn, `us-gov-*` is aws-us-gov). */
export function partitionOf(awsRegion: string): Partition {
  if (awsRegion.startsWith('cn-')) return 'aws-cn';
  if (awsRegion.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function regionCodes(regions: readonly RegionConfig[] = REGIONS): string[] {
  return regions.map((r) => r.code);
}

/** The region with this division code; unknown codes fail with the list of known ones. */
export function regionConfig(code: string, regions: readonly RegionConfig[] = REGIONS): RegionConfig {
  const found = regions.find((r) => r.code === code);
  if (!found) {
    const known = regions.map((r) => `${r.code} (${r.name.pinyin})`).join(', ');
    throw new UnknownRegionError(`unknown region ${JSON.stringify(code)}; known regions: ${known}`);
  }
  return found;
}

export function parentOf(region: RegionConfig, regions: readonly RegionConfig[] = REGIONS): RegionConfig | undefined {
  return region.parent === undefined ? undefined : regionConfig(region.parent, regions);
}

export function childrenOf(region: RegionConfig, regions: readonly RegionConfig[] = REGIONS): RegionConfig[] {
  return regions.filter((r) => r.parent === region.code);
}

/**
 * Checks the configuration as a whole; the app runs it before making any stack, so a typo
 * fails `cdk synth` instead of producing a stack that forwards into nowhere.
 */
export function validateRegions(regions: readonly RegionConfig[] = REGIONS): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of regions) {
    if (!/^\d{6}$/.test(r.code)) problems.push(`${r.code}: a division code has six digits`);
    if (seen.has(r.code)) problems.push(`${r.code}: configured twice`);
    seen.add(r.code);
    if (!/^\d{12}$/.test(r.account)) problems.push(`${r.code}: account id must have twelve digits`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r.awsRegion)) problems.push(`${r.code}: ${r.awsRegion} is not an AWS region name`);
    if (!r.identity.issuer.startsWith('https://')) problems.push(`${r.code}: the JWT issuer must be an https URL`);
    if (!r.identity.audience.length) problems.push(`${r.code}: at least one JWT audience`);
    for (const origin of r.portalOrigins) {
      if (!/^https:\/\/[^/]+$/.test(origin)) problems.push(`${r.code}: portal origin ${origin} must be https://host without a path`);
    }
    const api = apiThrottleOf(r);
    const open = publicThrottleOf(r);
    if (open.rateLimit > api.rateLimit || open.burstLimit > api.burstLimit) {
      problems.push(`${r.code}: the public routes' throttle must not exceed the API's (${api.rateLimit}/${api.burstLimit})`);
    }
    const years = checkpointRetentionYearsOf(r);
    // S3 Object Lock takes at most 100 years of default retention.
    if (!Number.isInteger(years) || years < 1 || years > 100) problems.push(`${r.code}: checkpoint retention of ${years} years must be whole years from 1 to 100`);
    if (r.parent !== undefined) {
      const parent = regions.find((p) => p.code === r.parent);
      if (!parent) problems.push(`${r.code}: parent ${r.parent} is not configured`);
      // EventBridge delivers to buses in the same partition only.
      else if (partitionOf(parent.awsRegion) !== partitionOf(r.awsRegion)) {
        problems.push(`${r.code}: parent ${r.parent} is in another partition`);
      }
    }
  }
  for (const r of regions) {
    // Walk up the parents; a cycle would make regions forward to each other forever.
    const path = new Set<string>([r.code]);
    for (let p = r.parent; p !== undefined; p = regions.find((x) => x.code === p)?.parent) {
      if (path.has(p)) {
        problems.push(`${r.code}: parent chain has a cycle through ${p}`);
        break;
      }
      path.add(p);
    }
  }
  for (const type of forwardedBothWays()) {
    problems.push(`${type} is forwarded both to parents and to children; an event would travel down and up again for ever`);
  }
  if (problems.length) throw new Error(`invalid regions configuration:\n  ${problems.join('\n  ')}`);
}
