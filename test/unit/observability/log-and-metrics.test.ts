/** The log writer and the EMF helper on their own: what a line carries, what it never carries. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { correlate, runInvocation, withCorrelation } from '#app/correlation.ts';
import { captureMetrics, recordOutboxAge, recordSms, smsParts } from '#app/metrics.ts';
import { captureLogs, log } from '#adapters/log.ts';

let logs: ReturnType<typeof captureLogs>;
let metrics: ReturnType<typeof captureMetrics>;
beforeEach(() => {
  logs = captureLogs();
  metrics = captureMetrics();
});
afterEach(() => {
  logs.stop();
  metrics.stop();
});
const last = (lines: string[]) => JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;

describe('log lines', () => {
  it('masks phones, ID numbers and e-mail addresses in the message, in nested data and in an Error, and keeps numbers as numbers', () => {
    log.error('SMS to 13800138000 failed', {
      error: new Error('DestinationPhoneNumber +8613800138000 is invalid'),
      nested: { notes: ['身份证440106199001011234', 'mail zhang.san@example.cn'] },
      overdueMillis: 13800138000,
    });
    const line = logs.lines.at(-1) ?? '';
    expect(line).not.toMatch(/13800138000"|\+8613800138000|440106199001011234|zhang\.san@/);
    const parsed = last(logs.lines);
    expect(parsed['message']).toBe('SMS to 138****8000 failed');
    expect(parsed['error']).toMatchObject({ name: 'Error', message: 'DestinationPhoneNumber 138****8000 is invalid' });
    expect(parsed['overdueMillis']).toBe(13800138000);
  });

  it('names the invocation on every line, and a caller’s data cannot overwrite its correlation id', async () => {
    await runInvocation('req-1', { functionName: 'intake', awsRequestId: 'lambda-1' }, async () => {
      await Promise.resolve();
      correlate({ complaintId: 'C0000000000000000' });
      log.info('inside', { correlationId: 'forged' });
    });
    expect(last(logs.lines)).toMatchObject({
      message: 'inside',
      correlationId: 'req-1',
      function: 'intake',
      awsRequestId: 'lambda-1',
      complaintId: 'C0000000000000000',
    });
    expect(typeof last(logs.lines)['coldStart']).toBe('boolean');
  });

  it('gives each record of a batch its own correlation id, without the complaint id of the record before', async () => {
    await runInvocation('batch', { functionName: 'escalation' }, async () => {
      await withCorrelation({ correlationId: 'm-1', messageId: 'm-1' }, async () => {
        correlate({ complaintId: 'C1111111111111111' });
        log.info('first');
      });
      await withCorrelation({ correlationId: 'm-2', messageId: 'm-2' }, async () => log.info('second'));
    });
    const [first, second] = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ correlationId: 'm-1', complaintId: 'C1111111111111111' });
    expect(second).toMatchObject({ correlationId: 'm-2', function: 'escalation' });
    expect(second?.['complaintId']).toBeUndefined();
  });
});

describe('EMF metrics', () => {
  it('counts SMS parts as UCS-2 does: 70 characters in one part, 67 per part once split', () => {
    expect([1, 70, 71, 134, 135].map((n) => smsParts('邮'.repeat(n)))).toEqual([1, 1, 2, 2, 3]);
    recordSms('progress', { text: '邮'.repeat(71) });
    expect(last(metrics.lines)).toMatchObject({ purpose: 'progress', SmsParts: 2 });
  });

  it('writes nothing to stdout with POWERTOOLS_METRICS_DISABLED=true (the bench), and one line without it', () => {
    metrics.stop();
    const saved = { level: process.env['LOG_LEVEL'], disabled: process.env['POWERTOOLS_METRICS_DISABLED'] };
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      process.env['LOG_LEVEL'] = 'error';
      process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
      recordOutboxAge(1_000);
      expect(write).not.toHaveBeenCalled();
      delete process.env['POWERTOOLS_METRICS_DISABLED'];
      recordOutboxAge(1_000);
      expect(write).toHaveBeenCalledTimes(1);
      expect(String(write.mock.calls[0]?.[0])).toContain('"OutboxAgeMs":1000');
    } finally {
      write.mockRestore();
      for (const [key, value] of [
        ['LOG_LEVEL', saved.level],
        ['POWERTOOLS_METRICS_DISABLED', saved.disabled],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('writes the outbox age in milliseconds, never negative, as a dimensionless metric', () => {
    recordOutboxAge(-5);
    const line = last(metrics.lines);
    expect(line['OutboxAgeMs']).toBe(0);
    expect(line['_aws']).toMatchObject({
      CloudWatchMetrics: [{ Namespace: 'ComplaintLoop', Dimensions: [[]], Metrics: [{ Name: 'OutboxAgeMs', Unit: 'Milliseconds' }] }],
    });
  });
});
