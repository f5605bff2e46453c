import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { actorFromClaims } from '#http/auth.ts';
import type { ApiEvent } from '#http/handler.ts';
import { handler as read } from '#functions/read/handler.ts';
import { handler as intake } from '#functions/intake/handler.ts';
import { captureMetrics } from '#app/metrics.ts';
import { captureLogs } from '#adapters/log.ts';
import { httpHandler } from '#http/handler.ts';

const context = { awsRequestId: 'req-1' } as Context;
const event = (over: Partial<ApiEvent> & Record<string, unknown>): ApiEvent =>
  ({
    version: '2.0',
    routeKey: 'GET /complaints',
    rawPath: '/complaints',
    headers: {},
    requestContext: { requestId: 'r1' },
    isBase64Encoded: false,
    ...over,
  }) as unknown as ApiEvent;

describe('actor from JWT claims', () => {
  it('reads the role from Cognito groups as API Gateway flattens them', () => {
    expect(actorFromClaims({ sub: 'u-1', 'cognito:groups': '[handler]', 'custom:unitId': 'gz-tianhe', 'custom:staffId': 'th-handler-1' })).toEqual({
      id: 'th-handler-1',
      role: 'handler',
      unitId: 'gz-tianhe',
    });
  });

  it('takes the most powerful of several groups', () => {
    expect(actorFromClaims({ sub: 'u-2', 'cognito:groups': ['quality', 'admin'] }).role).toBe('admin');
  });

  it('refuses a unit role without a unit, and a token without a known role', () => {
    expect(() => actorFromClaims({ sub: 'u-3', role: 'handler' })).toThrow(/unit/);
    expect(() => actorFromClaims({ sub: 'u-4', role: 'superuser' })).toThrow(/role/);
    expect(() => actorFromClaims(undefined)).toThrow(/token/);
  });
});

describe('HTTP handler edge (no AWS needed: these fail before any I/O)', () => {
  it('answers a staff route without claims with a 401 problem', async () => {
    const res = await read(event({}), context);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['content-type']).toContain('application/problem+json');
    expect(JSON.parse(res.body ?? '{}')).toMatchObject({ status: 401, code: 'unauthenticated', instance: 'r1' });
  });

  it('decodes a base64 body and rejects invalid UTF-8 in it', async () => {
    const res = await intake(
      event({
        routeKey: 'POST /complaints',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'),
        isBase64Encoded: true,
      }),
      context,
    );
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body ?? '{}').detail).toMatch(/UTF-8/);
  });

  it('normalises header case before reading the content type', async () => {
    const res = await intake(event({ routeKey: 'POST /complaints', headers: { 'Content-Type': 'text/csv' }, body: 'a,b' }), context);
    expect(res.statusCode).toBe(415);
  });

  it('answers an unexpected error with a 500 whose instance is the request id on its log lines, and counts it', async () => {
    const logs = captureLogs();
    const metrics = captureMetrics();
    try {
      const broken = httpHandler({
        auth: 'public',
        handle: async () => {
          throw new Error('connect ECONNREFUSED while texting 13800138000');
        },
      });
      const res = await broken(event({ routeKey: 'GET /broken' }), context);
      expect(res.statusCode).toBe(500);
      const problem = JSON.parse(res.body ?? '{}') as { instance?: string; detail?: string };
      expect(problem.instance).toBe('r1');
      expect(problem.detail).not.toMatch(/ECONNREFUSED/);
      const lines = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => [l['message'], l['correlationId'], l['awsRequestId']])).toEqual([
        ['request failed', 'r1', 'req-1'],
        ['request', 'r1', 'req-1'],
      ]);
      expect(logs.lines.join('\n')).not.toContain('13800138000');
      expect(metrics.lines.map((l) => (JSON.parse(l) as Record<string, unknown>)['ServerErrors'])).toEqual([1]);
    } finally {
      logs.stop();
      metrics.stop();
    }
  });
});

describe('a file reply (GET /reports downloads, decision 061)', () => {
  it('goes out base64 with isBase64Encoded, its length, and an RFC 5987 file name beside an ASCII fallback', async () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0xfe, 0x0d, 0x0a]);
    const download = httpHandler({
      auth: 'public',
      handle: async () => ({
        status: 200,
        body: undefined,
        file: { bytes, contentType: 'text/csv; charset=utf-8', filename: "投诉明细报表 (2026'11)*.csv", asciiFilename: 'complaints "detail"\r\n.csv' },
      }),
    });
    const res = await download(event({ routeKey: 'GET /download' }), context);
    expect(res.isBase64Encoded).toBe(true);
    expect(Buffer.from(res.body ?? '', 'base64').equals(bytes)).toBe(true);
    expect(res.headers?.['content-length']).toBe(String(bytes.length));
    const disposition = String(res.headers?.['content-disposition']);
    // no quote, CR or LF from a name can break out of the header
    expect(disposition).toBe(
      `attachment; filename="complaints__detail___.csv"; filename*=UTF-8''%E6%8A%95%E8%AF%89%E6%98%8E%E7%BB%86%E6%8A%A5%E8%A1%A8%20%282026%2711%29%2A.csv`,
    );
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe("投诉明细报表 (2026'11)*.csv");
  });
});
