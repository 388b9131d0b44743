import { describe, expect, it } from 'vitest';
import {
  DEFAULT_API_THROTTLE,
  DEFAULT_CHECKPOINT_RETENTION_YEARS,
  DEFAULT_PUBLIC_THROTTLE,
  FORWARDED_TO_CHILDREN,
  FORWARDED_TO_CHILDREN_SOURCE,
  FORWARDED_TO_PARENT,
  REGIONS,
  apiThrottleOf,
  checkpointRetentionYearsOf,
  childrenOf,
  forwardedBothWays,
  forwardingRoutes,
  parentOf,
  partitionOf,
  publicThrottleOf,
  regionConfig,
  validateRegions,
  type RegionConfig,
} from '../../infra/regions.ts';
import { selectRegions } from '../../infra/stacks.ts';

const jiangxi = regionConfig('360000');
const nanchang = regionConfig('360100');
const jiujiang = regionConfig('360400');

describe('regions configuration', () => {
  it('configures Jiangxi 360000 with two cities, Nanchang 360100 and Jiujiang 360400, as its children', () => {
    expect(jiangxi.name).toEqual({ zh: '江西省', pinyin: 'Jiangxi' });
    expect(nanchang.name).toEqual({ zh: '南昌市', pinyin: 'Nanchang' });
    expect(jiujiang.name).toEqual({ zh: '九江市', pinyin: 'Jiujiang' });
    expect(jiangxi.parent).toBeUndefined();
    expect(parentOf(nanchang)).toBe(jiangxi);
    expect(parentOf(jiujiang)).toBe(jiangxi);
    expect(childrenOf(jiangxi)).toEqual([nanchang, jiujiang]);
    expect(childrenOf(nanchang)).toEqual([]);
    expect(jiujiang).toMatchObject({ account: '333333333333', awsRegion: 'cn-northwest-1' });
    expect(new Set(REGIONS.map((r) => r.account)).size).toBe(REGIONS.length);
    expect(() => validateRegions()).not.toThrow();
  });

  it('derives the partition from the AWS region', () => {
    expect(partitionOf('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('ap-southeast-1')).toBe('aws');
    expect(REGIONS.some((r) => partitionOf(r.awsRegion) === 'aws-cn')).toBe(true);
  });

  it('fails on an unknown region code, naming the known ones', () => {
    expect(() => regionConfig('360999')).toThrow(/unknown region "360999"; known regions: 360000 \(Jiangxi\), 360100 \(Nanchang\), 360400 \(Jiujiang\)/);
  });

  it('rejects a parent that is missing, in another partition, or part of a cycle', () => {
    const child = (overrides: Partial<RegionConfig>): RegionConfig => ({ ...nanchang, ...overrides });
    expect(() => validateRegions([child({ parent: '369900' })])).toThrow(/parent 369900 is not configured/);
    expect(() => validateRegions([jiangxi, child({ awsRegion: 'ap-southeast-1' })])).toThrow(/parent 360000 is in another partition/);
    expect(() => validateRegions([{ ...jiangxi, parent: '360100' }, nanchang])).toThrow(/cycle/);
    expect(() => validateRegions([jiangxi, jiangxi])).toThrow(/configured twice/);
    expect(() => validateRegions([child({ code: '3601', parent: '360000' }), jiangxi])).toThrow(/six digits/);
    expect(() => validateRegions([jiangxi, child({ portalOrigins: ['http://portal.example/'] })])).toThrow(/portal origin/);
  });

  it('defaults the API throttle, the public routes’ lower throttle and a 10-year checkpoint retention where a region sets none', () => {
    expect(nanchang.apiThrottle).toBeUndefined();
    expect(apiThrottleOf(nanchang)).toEqual(DEFAULT_API_THROTTLE);
    expect(publicThrottleOf(nanchang)).toEqual(DEFAULT_PUBLIC_THROTTLE);
    expect(DEFAULT_PUBLIC_THROTTLE.rateLimit).toBeLessThan(DEFAULT_API_THROTTLE.rateLimit);
    expect(DEFAULT_PUBLIC_THROTTLE.burstLimit).toBeLessThan(DEFAULT_API_THROTTLE.burstLimit);
    expect(checkpointRetentionYearsOf(nanchang)).toBe(DEFAULT_CHECKPOINT_RETENTION_YEARS);
    expect(DEFAULT_CHECKPOINT_RETENTION_YEARS).toBe(10);
  });

  it('rejects public routes throttled above the API, and a checkpoint retention outside whole years 1 to 100', () => {
    expect(() => validateRegions([{ ...jiangxi, publicThrottle: { rateLimit: 500, burstLimit: 10 } }])).toThrow(/public routes' throttle must not exceed/);
    expect(() => validateRegions([{ ...jiangxi, publicThrottle: { rateLimit: 10, burstLimit: 500 } }])).toThrow(/public routes' throttle must not exceed/);
    for (const years of [0, 1.5, 101]) expect(() => validateRegions([{ ...jiangxi, checkpointRetentionYears: years }])).toThrow(/checkpoint retention/);
    expect(() => validateRegions([{ ...jiangxi, checkpointRetentionYears: 30 }])).not.toThrow();
  });

  it('selects regions from the region context: one, several or all; none or unknown names the known ones', () => {
    expect(selectRegions('360100')).toEqual([nanchang]);
    expect(selectRegions('360000,360100')).toEqual([jiangxi, nanchang]);
    expect(selectRegions('360400')).toEqual([jiujiang]);
    expect(selectRegions('all')).toEqual([...REGIONS]);
    expect(() => selectRegions(undefined)).toThrow(/-c region=<division code>; known regions: 360000, 360100, 360400 \(or all\)/);
    expect(() => selectRegions('999999')).toThrow(/known regions/);
  });

  it('lists the detail-types a region forwards to its parent in the regions module', () => {
    expect(FORWARDED_TO_PARENT).toEqual(expect.arrayContaining(['EvaluationCompleted', 'AssessmentPublished', 'TransferPaymentEvaluated']));
  });

  it('lists the indicator library’s detail-types, from jixiao.indicators, as what a region forwards to its children', () => {
    expect(FORWARDED_TO_CHILDREN).toEqual(['IndicatorPublished', 'IndicatorRevised', 'IndicatorRetired', 'TemplatePublished', 'TemplateRetired']);
    expect(FORWARDED_TO_CHILDREN_SOURCE).toBe('jixiao.indicators');
  });

  it('keeps the upward and downward lists disjoint, so no event can travel down and back up', () => {
    expect(FORWARDED_TO_PARENT.filter((type) => FORWARDED_TO_CHILDREN.includes(type))).toEqual([]);
    expect(forwardedBothWays()).toEqual([]);
    expect(forwardedBothWays(['EvaluationCompleted', 'IndicatorPublished'], FORWARDED_TO_CHILDREN)).toEqual(['IndicatorPublished']);
  });

  it('routes each region’s forwarding to its parent and its children only, never to a sibling', () => {
    const targets = (code: string) => forwardingRoutes(regionConfig(code)).map((r) => `${r.direction}:${r.to.code}`);
    expect(targets('360000')).toEqual(['to-child:360100', 'to-child:360400']);
    expect(targets('360100')).toEqual(['to-parent:360000']);
    expect(targets('360400')).toEqual(['to-parent:360000']);
    const [down] = forwardingRoutes(jiangxi);
    expect(down!.pattern).toEqual({ source: ['jixiao.indicators'], 'detail-type': [...FORWARDED_TO_CHILDREN] });
    const [up] = forwardingRoutes(nanchang);
    expect(up!.pattern).toEqual({ source: [{ prefix: 'jixiao.' }], 'detail-type': [...FORWARDED_TO_PARENT] });
    // A county under Nanchang is Nanchang's child, not Jiangxi's: one hop each way.
    const county: RegionConfig = { ...nanchang, code: '360102', name: { zh: '东湖区', pinyin: 'Donghu' }, parent: '360100', account: '444444444444' };
    const withCounty = [...REGIONS, county];
    expect(forwardingRoutes(jiangxi, withCounty).map((r) => r.to.code)).toEqual(['360100', '360400']);
    expect(forwardingRoutes(nanchang, withCounty).map((r) => `${r.direction}:${r.to.code}`)).toEqual(['to-parent:360000', 'to-child:360102']);
    expect(() => validateRegions(withCounty)).not.toThrow();
  });
});
