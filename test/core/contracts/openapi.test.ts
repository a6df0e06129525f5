import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument, QueryRequestSchema } from '../../../lambdas/core/contracts/api';

function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [v] : refs(v)));
  }
  return [];
}

describe('the OpenAPI document', () => {
  const document = openApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, unknown> };
  };

  it('is kept in docs/openapi.json exactly as the schemas generate it (regenerate: npm run serve -- --write-openapi docs/openapi.json)', () => {
    expect(JSON.parse(readFileSync('docs/openapi.json', 'utf8'))).toEqual(document);
  });

  it('marks every operator route, and only those, with x-fa-roles: ["operator"]', () => {
    const marked = Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>)
      .filter(([, methods]) =>
        Object.values(methods).some((op) => Array.isArray(op['x-fa-roles']) && (op['x-fa-roles'] as string[]).includes('operator')),
      )
      .map(([path]) => path)
      .sort();
    expect(marked).toEqual(['/v1/ops/cost', '/v1/ops/quality', '/v1/ops/runs', '/v1/ops/runs/{id}']);
  });

  it('documents every route with OpenAPI 3 and resolves every schema reference', () => {
    expect(document.openapi).toBe('3.0.3');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/health',
      '/openapi.json',
      '/v1/ops/cost',
      '/v1/ops/quality',
      '/v1/ops/runs',
      '/v1/ops/runs/{id}',
      '/v1/query',
      '/v1/sessions/{id}',
      '/v1/stocks',
      '/v1/stocks/{ticker}/summary',
    ]);
    for (const ref of refs(document)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(document.components.schemas, ref).toHaveProperty(name);
    }
  });

  it('describes the request a client sends, and the same schema validates it', () => {
    const request = document.components.schemas.QueryRequest as { required: string[]; additionalProperties: boolean };
    expect(request).toMatchObject({ required: ['question'], additionalProperties: false });
    expect(QueryRequestSchema.safeParse({ question: 'KQRV?', depth: 'deep', tickers: ['kqrv'] }).success).toBe(true);
    expect(QueryRequestSchema.safeParse({ question: 'KQRV?', faId: 'someone' }).success).toBe(false);
  });
});
