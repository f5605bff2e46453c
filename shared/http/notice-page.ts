/**
 * The small HTML pages of a leaders' notice confirm link (decision 049). The GET page only shows a
 * button: link previews and mail scanners fetch links, and a fetch must confirm nothing. No script;
 * nothing of the complainant — the case number, its severity and the person the notice went to.
 */
import { escapeHtml } from '#app/escalation-mail.ts';

const page = (title: string, body: string): string =>
  [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}button{font-size:1.1rem;padding:.6rem 1.4rem}</style>',
    `</head><body><h1 style="font-size:1.3rem">${escapeHtml(title)}</h1>${body}</body></html>`,
    '',
  ].join('\n');

/** The confirm page: who, which case, and one button that POSTs the same token. */
export function confirmPage(v: { complaintId: string; recipientName: string; severityLabel: string; token: string; confirmed: boolean }): string {
  const what = `<p>${escapeHtml(v.recipientName)}，您好：投诉 <strong>${escapeHtml(v.complaintId)}</strong>（${escapeHtml(v.severityLabel)}）的重大紧急投诉通报已发送给您。</p>`;
  if (v.confirmed) return page('已确认收到', `${what}<p>您已确认收到，无需再次确认。</p>`);
  return page(
    '确认收到重大紧急投诉通报',
    `${what}<form method="post" action="/notices/confirm?t=${encodeURIComponent(v.token)}"><button type="submit">确认已收到</button></form><p style="color:#666">按规定须在通报后30分钟内确认（seed 000 五3(1)），超时未确认将报网运和质量监控部。</p>`,
  );
}

/** After the button: recorded now, or confirmed before. */
export function confirmedPage(v: { complaintId: string; recipientName: string; already: boolean }): string {
  return page(
    '已确认收到',
    `<p>${escapeHtml(v.recipientName)}：投诉 <strong>${escapeHtml(v.complaintId)}</strong> 的通报${v.already ? '此前已确认收到，本次未重复记录' : '已确认收到，已记入处理记录'}。</p>`,
  );
}
