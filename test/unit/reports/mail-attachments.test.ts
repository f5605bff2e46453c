/** E-mails with files (the monthly report, decision 061): SES v2 `Attachments`, and the local outbox's multipart/mixed `.eml`. */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '#adapters/aws/mail.ts';
import { ManualClock } from '#adapters/local/clock.ts';
import { FileMailer } from '#adapters/local/mail.ts';
import type { MailMessage } from '#app/ports.ts';
import { parseEml } from '#test/support/mime.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const ses = mockClient(SESv2Client);
beforeEach(() => ses.reset());

// Every byte value, so a text conversion anywhere on the way would show.
const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
const message: MailMessage = {
  to: ['quality@example.cn'],
  subject: '2026年11月投诉统计（10月26日–11月25日）',
  text: '受理量：240 件',
  dedupeKey: 'report-snapshot#2026-11',
  attachments: [
    {
      filename: '2026年11月投诉统计（10月26日–11月25日）.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      content: bytes,
    },
  ],
};

describe('mail with attachments', () => {
  it('hands SES v2 the file as an attachment of the simple content, the Chinese file name as it is', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-9' });
    // Act
    await new SesMailer({ from: 'noreply@example.cn', client: new SESv2Client({ region: 'cn-north-1' }) }).send(message);
    // Assess
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Content?.Simple?.Attachments).toEqual([
      {
        FileName: '2026年11月投诉统计（10月26日–11月25日）.xlsx',
        ContentType: message.attachments?.[0]?.contentType,
        RawContent: bytes,
        ContentDisposition: 'ATTACHMENT',
        ContentTransferEncoding: 'BASE64',
      },
    ]);
    expect(input?.Content?.Simple?.Subject).toEqual({ Data: message.subject, Charset: 'UTF-8' });
  });

  it('sends no Attachments field for an e-mail without files', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-10' });
    await new SesMailer({ from: 'noreply@example.cn', client: new SESv2Client({ region: 'cn-north-1' }) }).send({ ...message, attachments: [] });
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple).not.toHaveProperty('Attachments');
  });

  it('writes a multipart/mixed .eml whose file decodes to the same bytes, and the file beside it', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'outbox-'));
    // Act
    await new FileMailer({ dir, clock: new ManualClock('2026-11-25T17:00:00.000Z') }).send(message);
    // Assess
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([
      '20261125T170000000Z_report-snapshot-2026-11.2026年11月投诉统计（10月26日–11月25日）.xlsx',
      '20261125T170000000Z_report-snapshot-2026-11.eml',
    ]);
    const raw = await readFile(join(dir, files[1] ?? ''), 'utf8');
    const mail = parseEml(raw);
    expect(mail.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary="=_mix_[0-9a-f]+"$/);
    expect(mail.parts.map((p) => p.contentType)).toEqual(['text/plain', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(mail.parts[0]?.body).toBe('受理量：240 件');
    const file = mail.parts[1];
    expect(file?.headers.get('content-disposition')).toBe(
      `attachment; filename="2026-11-10-26-11-25.xlsx"; filename*=UTF-8''${encodeURIComponent('2026年11月投诉统计（10月26日–11月25日）.xlsx')}`,
    );
    const base64 = /\r\n\r\n([A-Za-z0-9+/=\r\n]+)\r\n--=_mix_/.exec(raw.slice(raw.lastIndexOf('Content-Disposition: attachment')))?.[1] ?? '';
    expect(Buffer.from(base64.replace(/\s+/g, ''), 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect((await readFile(join(dir, files[0] ?? ''))).equals(Buffer.from(bytes))).toBe(true);
  });
});
