/** The OpenAPI 3.1 document, generated from `ROUTES` and the zod schemas (JSON Schema 2020-12). */
import * as z from 'zod';
import { HTML_PAGE, RESPONSE_COMPONENTS, RESPONSES } from './responses.ts';
import { ROUTES, routeKey, type RouteSpec } from './routes.ts';

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable error code, e.g. validation-failed, vague-reply, version-conflict' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string', description: 'Dotted path of the offending field' }, message: { type: 'string' } },
      },
    },
    instance: { type: 'string' },
  },
};

function jsonSchema(schema: z.core.$ZodType, io: 'input' | 'output' = 'input') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** The 2xx answer of a route, from its response schema (`responses.ts`); a route without one fails the build of the document. */
function success(route: RouteSpec) {
  const body = RESPONSES[routeKey(route)];
  if (body === undefined) throw new Error(`No response schema for ${routeKey(route)} in shared/http/responses.ts`);
  if (body === HTML_PAGE) return { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } };
  // A body many routes share (the complaint view answers every command) is one component, referenced.
  const shared = Object.values(RESPONSES).filter((b) => b === body).length > 1;
  const schema = shared ? { $ref: `#/components/schemas/${componentName(body)}` } : jsonSchema(body, 'output');
  return { description: 'Success', content: { 'application/json': { schema } } };
}

/** Component names of the response bodies more than one route shares. */
function componentName(body: z.ZodType): string {
  const name = Object.entries(RESPONSE_COMPONENTS).find(([, schema]) => schema === body)?.[0];
  if (name === undefined) throw new Error('A response body shared by several routes needs a name in RESPONSE_COMPONENTS');
  return name;
}

function sharedComponents(): Record<string, unknown> {
  const counts = new Map<unknown, number>();
  for (const body of Object.values(RESPONSES)) counts.set(body, (counts.get(body) ?? 0) + 1);
  return Object.fromEntries(
    Object.entries(RESPONSE_COMPONENTS)
      .filter(([, schema]) => (counts.get(schema) ?? 0) > 1)
      .map(([name, schema]) => [name, jsonSchema(schema, 'output')]),
  );
}

function operation(route: RouteSpec) {
  const params: unknown[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (route.query) {
    const q = jsonSchema(route.query) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
  }
  if (route.idempotent) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Retries with the same key return the first result and never duplicate',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
    });
  }
  const problemResponse = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  const responses: Record<string, unknown> = {
    [String(route.success)]: success(route),
    '400': problemResponse('Malformed request; `errors[].path` names the field'),
    '404': problemResponse('Not found, or not visible to the caller'),
    '429': problemResponse('Rate limited'),
  };
  if (route.auth === 'staff') {
    responses['401'] = problemResponse('Missing or invalid bearer token');
    responses['403'] = problemResponse('The role may not do this');
  }
  if (route.function === 'reports') {
    const success = responses['200'] as { content: Record<string, unknown> };
    success.content['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] = {
      schema: { type: 'string', contentMediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      description:
        '`format=xlsx`: the summary workbook (汇总统计表 + 指标说明), or with `layout=detail` the 明细报表 (投诉 / 重复投诉 / 重处理 sheets); `Content-Disposition: attachment` with a UTF-8 `filename*`',
    };
    success.content['text/csv'] = {
      schema: { type: 'string' },
      description: '`format=csv`: UTF-8 with a BOM, CRLF; the summary, or with `layout=detail` the detail list with a 受理类型 column',
    };
    responses['413'] = problemResponse(
      'The detail list does not fit in one response (≈ 4 MB): take the closed month’s snapshot e-mail/report bucket, or a shorter period or one unit',
    );
    responses['422'] = problemResponse('A period that is not whole statistics months, or an unknown period');
  }
  if (route.method !== 'GET') {
    responses['409'] = problemResponse('Invalid transition for the current status, or a concurrent change won');
    responses['422'] = problemResponse('Well-formed but unacceptable (e.g. a vague reply)');
  }
  return {
    summary: route.summary,
    ...(route.description !== undefined && { description: route.description }),
    operationId: `${route.method.toLowerCase()}${route.path
      .replace(/[{}]/g, '')
      .replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())
      .replace(/[^A-Za-z0-9]/g, '')}`,
    tags: [route.auth === 'public' ? 'public' : 'staff'],
    ...(route.auth === 'staff' && { security: [{ bearer: [] }] }),
    ...(params.length > 0 && { parameters: params }),
    ...(route.request && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.request) } } } }),
    responses,
  };
}

export function buildOpenApi() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '投诉闭环系统 — Complaint closed loop API',
      version: '0.1.0',
      description: 'Intake, dispatch, reply, callback and closure of complaints, with SLA deadlines and escalations. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: 'http://localhost:3000', description: 'local stack (npm start)' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: problem, ...sharedComponents() },
    },
    paths,
  };
}
