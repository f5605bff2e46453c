/** `npm start`: the local stack on http://localhost:3000 with data under .data/. */
import './env.ts';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { clockFromEnv } from '#adapters/local/clock.ts';
import { readCalendarWatch } from '#domain/calendar/watch.ts';
import { DEV_IDENTITIES, signToken } from './auth.ts';
import { ensureConsoleBuilt } from './console.ts';
import { startLocalStack } from './stack.ts';

const port = Number(process.env['PORT'] ?? 3000);
const dataDir = resolve(process.env['DATA_DIR'] ?? '.data');
mkdirSync(dataDir, { recursive: true });

// CLOCK_SPEED=60 (one real second = one simulated minute) and/or FAKE_CLOCK_START=2026-09-30T09:00:00+08:00
// make SLA warnings, breaches and their e-mails show up within minutes (docs/decisions/004-sla-timers.md).
const clock = clockFromEnv();
// RATE_LIMIT=off lifts the per-client token buckets of the public routes (load demos, the restart test).
const rateLimit = process.env['RATE_LIMIT'] !== 'off';
const stack = await startLocalStack({ port, dataDir, rateLimit, ...(clock && { clock }) });
const tokens = DEV_IDENTITIES.map((id) => ({ ...id, token: signToken({ sub: id.sub, role: id.role, ...('unitId' in id && { unitId: id.unitId }) }) }));
const agent = tokens[0]?.token ?? '';
// Built now rather than on the first visit, so that a build error shows at start.
await ensureConsoleBuilt();

process.stdout.write(`
投诉闭环系统 — local stack
  API        ${stack.url}
  Console    ${stack.url}/console/  (staff; dev sign-in picks one of the identities below)
  data       ${dataDir}
  DynamoDB   ${stack.dynamoEndpoint} (dynalite)
  clock      ${clock ? `simulated ×${clock.speed}, now ${clock.now().toISOString()}` : 'real time'}

Dev tokens (12 h; more with: npm run token -- <role> [unitId] [userId]):
${tokens.map((t) => `  ${t.role.padEnd(8)} ${t.sub.padEnd(14)} ${t.token}`).join('\n')}

Try:
  curl -s -X POST ${stack.url}/complaints -H 'content-type: application/json' -H 'Idempotency-Key: demo-0001' \\
    -d '{"channel":"web","name":"张三","phone":"13800138000","waybillNo":"EA123456785CN","category":"delay","content":"邮件寄出十天还没到，急用","region":"广东省广州市天河区"}'
  curl -s ${stack.url}/complaints -H 'authorization: Bearer ${agent}'
`);

// Never silent (decision 041): the same check as the daily calendar-watch Lambda, at start-up.
// The calendar includes the notices loaded at run time (decision 055).
const watch = readCalendarWatch((await stack.container.config.refresh()).calendar, clock?.now() ?? new Date());
if (watch.alarm)
  process.stderr.write(
    `\n⚠ 节假日数据 / holiday data: ${watch.reason}. Deadlines in that year are marked provisional (预计); load the State Council notice with PUT /admin/calendar/{year} (docs/decisions/003-working-calendar.md).\n`,
  );

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
