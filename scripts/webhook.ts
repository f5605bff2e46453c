/**
 * `npm run webhook -- sms "<text>" [fromPhone] [messageId]` or `npm run webhook -- ivr <menu e.g. 1-2> [fromPhone] [waybill]`:
 * sends a signed channel webhook to the local stack (`WEBHOOK_URL`, default http://localhost:3000),
 * as an SMS integrator or IVR platform would.
 */
import { LOCAL_CHANNEL_SECRET } from '#http/channel.ts';
import { signatureHeaders } from '#http/signature.ts';

const [kind, arg, from = '13800138000', extra] = process.argv.slice(2);
const base = process.env['WEBHOOK_URL'] ?? 'http://localhost:3000';
const secret = process.env['CHANNEL_SECRETS']?.split(',')[0] ?? LOCAL_CHANNEL_SECRET;
if ((kind !== 'sms' && kind !== 'ivr') || !arg) {
  process.stderr.write('usage: npm run webhook -- sms "<text>" [fromPhone] [messageId]\n       npm run webhook -- ivr <menu e.g. 1-2> [fromPhone] [waybill]\n');
  process.exit(2);
}
const now = new Date();
const body =
  kind === 'sms'
    ? { messageId: extra ?? `cli-${crypto.randomUUID()}`, from, to: '95580', text: arg, receivedAt: now.toISOString() }
    : { callId: `cli-${crypto.randomUUID()}`, callerNumber: from, menuPath: arg.split('-'), ...(extra && { waybillNo: extra }), startedAt: now.toISOString() };
const raw = JSON.stringify(body);
const res = await fetch(`${base}/channels/${kind}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...signatureHeaders(secret, now, raw) },
  body: raw,
});
process.stdout.write(`${res.status} ${await res.text()}\n`);
