import { describe, expect, it } from 'vitest';
import {
  FORWARDED_TO_PARENT,
  REGIONS,
  childrenOf,
  parentOf,
  partitionOf,
  regionConfig,
  validateRegions,
  type RegionConfig,
} from '../../infra/regions.ts';
import { selectRegions } from '../../infra/stacks.ts';

const jiangxi = regionConfig('360000');
const nanchang = regionConfig('360100');

describe('regions configuration', () => {
  it('configures Jiangxi 360000 and Nanchang 360100, with Jiangxi as Nanchang’s parent', () => {
    expect(jiangxi.name).toEqual({ zh: '江西省', pinyin: 'Jiangxi' });
    expect(nanchang.name).toEqual({ zh: '南昌市', pinyin: 'Nanchang' });
    expect(jiangxi.parent).toBeUndefined();
    expect(parentOf(nanchang)).toBe(jiangxi);
    expect(childrenOf(jiangxi)).toEqual([nanchang]);
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
    expect(() => regionConfig('360999')).toThrow(/unknown region "360999"; known regions: 360000 \(Jiangxi\), 360100 \(Nanchang\)/);
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

  it('selects regions from the region context: one, several or all; none or unknown names the known ones', () => {
    expect(selectRegions('360100')).toEqual([nanchang]);
    expect(selectRegions('360000,360100')).toEqual([jiangxi, nanchang]);
    expect(selectRegions('all')).toEqual([...REGIONS]);
    expect(() => selectRegions(undefined)).toThrow(/-c region=<division code>; known regions: 360000, 360100 \(or all\)/);
    expect(() => selectRegions('999999')).toThrow(/known regions/);
  });

  it('lists the detail-types a region forwards to its parent in the regions module', () => {
    expect(FORWARDED_TO_PARENT).toEqual(expect.arrayContaining(['EvaluationCompleted', 'AssessmentPublished', 'TransferPaymentEvaluated']));
  });
});
