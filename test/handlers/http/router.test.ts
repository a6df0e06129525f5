import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRouter, MALFORMED_PARAM } from '../../../lambdas/handlers/http/router';

const route = createRouter([
  { name: 'query', method: 'POST', path: '/v1/query' },
  { name: 'summary', method: 'GET', path: '/v1/stocks/{ticker}/summary' },
  { name: 'session', method: 'GET', path: '/v1/sessions/{id}' },
  { name: 'openapi', method: 'GET', path: '/openapi.json' },
]);

describe('the query API router', () => {
  it('matches a path template and decodes its parameters', () => {
    expect(route('GET', '/v1/stocks/BRK.B/summary')).toEqual({ kind: 'matched', name: 'summary', params: { ticker: 'BRK.B' } });
    expect(route('get', '/v1/sessions/a%20b')).toEqual({ kind: 'matched', name: 'session', params: { id: 'a b' } });
  });

  it('treats a trailing slash as the same resource', () => {
    expect(route('POST', '/v1/query/')).toMatchObject({ kind: 'matched', name: 'query' });
  });

  it('answers 405 with the allowed methods when only the method is wrong', () => {
    expect(route('DELETE', '/v1/query')).toEqual({ kind: 'method_not_allowed', allow: ['POST'] });
  });

  it('finds no route for unknown paths, extra segments or a dot that is not literal', () => {
    expect(route('GET', '/v1/stocks/A/B/summary')).toEqual({ kind: 'not_found' });
    expect(route('GET', '/openapiXjson')).toEqual({ kind: 'not_found' });
    expect(route('GET', '/v1/stocks//summary')).toEqual({ kind: 'not_found' });
  });

  it('turns a malformed percent-escape into a value no parameter schema accepts', () => {
    expect(route('GET', '/v1/sessions/%E0%A4%A')).toEqual({ kind: 'matched', name: 'session', params: { id: MALFORMED_PARAM } });
  });

  it('round-trips any segment value through encodeURIComponent', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (id) => {
        expect(route('GET', `/v1/sessions/${encodeURIComponent(id)}`)).toEqual({ kind: 'matched', name: 'session', params: { id } });
      }),
    );
  });
});
