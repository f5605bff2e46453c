import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '#http/openapi.ts';
import { ROUTES } from '#http/routes.ts';

describe('OpenAPI document', () => {
  it('is committed up to date (run npm run openapi)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../../openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
  });

  it('documents every route, with a request schema wherever the route takes a body', () => {
    const doc = buildOpenApi();
    for (const route of ROUTES) {
      const op = (doc.paths[route.path] as Record<string, { requestBody?: unknown; security?: unknown }>)[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(Boolean(op?.requestBody)).toBe(Boolean(route.request));
      expect(Boolean(op?.security)).toBe(route.auth === 'staff');
    }
  });

  it('carries the intake limits from the zod schema (content ≤ 4,000 characters, strict fields)', () => {
    const body = (
      buildOpenApi().paths['/complaints'] as {
        post: {
          requestBody: {
            content: { 'application/json': { schema: { properties: { content: { maxLength: number } }; additionalProperties: unknown; required: string[] } } };
          };
        };
      }
    ).post.requestBody.content['application/json'].schema;
    expect(body.properties.content.maxLength).toBe(4000);
    expect(body.additionalProperties).toBe(false);
    expect(body.required).toEqual(expect.arrayContaining(['category', 'content']));
  });
});
