/** `npm start`: the local stack on http://localhost:3000 with data under .data/. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEV_IDENTITIES, signToken } from './auth.ts';
import { startLocalStack } from './stack.ts';

const port = Number(process.env['PORT'] ?? 3000);
const dataDir = resolve(process.env['DATA_DIR'] ?? '.data');
mkdirSync(dataDir, { recursive: true });

const stack = await startLocalStack({ port, dataDir });
const tokens = DEV_IDENTITIES.map((id) => ({ ...id, token: signToken({ sub: id.sub, role: id.role, ...('unitId' in id && { unitId: id.unitId }) }) }));
const agent = tokens[0]?.token ?? '';

process.stdout.write(`
投诉闭环系统 — local stack
  API        ${stack.url}
  data       ${dataDir}
  DynamoDB   ${stack.dynamoEndpoint} (dynalite)

Dev tokens (12 h; more with: npm run token -- <role> [unitId] [userId]):
${tokens.map((t) => `  ${t.role.padEnd(8)} ${t.sub.padEnd(14)} ${t.token}`).join('\n')}

Try:
  curl -s -X POST ${stack.url}/complaints -H 'content-type: application/json' -H 'Idempotency-Key: demo-0001' \\
    -d '{"channel":"web","name":"张三","phone":"13800138000","waybillNo":"EA123456785CN","category":"delay","content":"邮件寄出十天还没到，急用","region":"广东省广州市天河区"}'
  curl -s ${stack.url}/complaints -H 'authorization: Bearer ${agent}'
`);

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
