import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../infra/local/route-table.ts';

const table = new RouteTable<string>();
table.add({ method: 'GET', path: '/v1/indicators/{id}', auth: 'jwt' }, 'get');
table.add({ method: 'GET', path: '/v1/indicators/vocabulary', auth: 'jwt' }, 'vocabulary');
table.add({ method: 'POST', path: '/v1/indicators/{id}/publish', auth: 'jwt' }, 'publish');
table.add({ method: 'GET', path: '/v1/indicators', auth: 'jwt' }, 'list');

describe('local route table', () => {
  it('prefers a literal segment over a parameter, as API Gateway does', () => {
    expect(table.match('GET', '/v1/indicators/vocabulary')?.target).toBe('vocabulary');
    expect(table.match('GET', '/v1/indicators/ind_123')?.target).toBe('get');
  });

  it('extracts and URL-decodes path parameters', () => {
    const match = table.match('POST', '/v1/indicators/ind%5Fabc/publish');
    expect(match?.pathParameters).toEqual({ id: 'ind_abc' });
    expect(match?.routeKey).toBe('POST /v1/indicators/{id}/publish');
  });

  it('does not match a different method or segment count', () => {
    expect(table.match('DELETE', '/v1/indicators/x')).toBeUndefined();
    expect(table.match('GET', '/v1/indicators/x/y/z')).toBeUndefined();
  });

  it('lists the methods a path supports (for 405 and CORS preflight)', () => {
    expect(table.methodsFor('/v1/indicators/abc/publish')).toEqual(['POST']);
  });

  it('refuses a duplicate route at start-up', () => {
    expect(() => table.add({ method: 'GET', path: '/v1/indicators', auth: 'jwt' }, 'again')).toThrow(/duplicate route/);
  });
});
