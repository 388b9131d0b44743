import { describe, expect, it } from 'vitest';
import { publishDenied } from '../../infra/local/runtime.ts';
import { manifests } from '../../services/registry.ts';

describe('local PutEvents permissions (mirror of the relays IAM policy)', () => {
  it('allows a service to publish an event its manifest lists, under its own source', () => {
    expect(publishDenied(manifests, { Source: 'jixiao.indicators', DetailType: 'IndicatorPublished' })).toBeUndefined();
  });

  it('refuses an event type the manifest does not list', () => {
    expect(publishDenied(manifests, { Source: 'jixiao.indicators', DetailType: 'TargetApproved' })?.ErrorCode).toBe('AccessDeniedException');
  });

  it('refuses a source no service owns', () => {
    expect(publishDenied(manifests, { Source: 'jixiao.intruder', DetailType: 'IndicatorPublished' })?.ErrorMessage).toMatch(/no service/);
  });
});
