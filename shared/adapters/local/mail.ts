/**
 * `Mailer` for the local stack: each e-mail becomes an RFC 5322 `.eml` file under `<dataDir>/outbox/`
 * that any mail client opens — MIME `multipart/alternative` (plain text + HTML), UTF-8 bodies in
 * base64, an RFC 2047 encoded-word Subject, a Date header and a Message-ID derived from the dedupe
 * key; with attachments, `multipart/mixed` around it (RFC 2231 file names), each file also written beside it. File names sort by time: `20261126T020000123Z_<dedupe key>.eml`.
 *
 * Like a provider that honours an idempotency key, the outbox holds one file per dedupe key: a
 * second send of a key already in the folder (a resend after a crash between the write and the
 * ledger's `sent`, decision 037) writes nothing and answers the same Message-ID. Files are written
 * to a temporary name and renamed, so a killed process never leaves half an e-mail.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock, type MailAttachment, type MailMessage, type Mailer, type Logger } from '#app/ports.ts';

const CRLF = '\r\n';
export const LOCAL_MAIL_DOMAIN = 'complaints.local';

export interface EmlOptions {
  from: string;
  /** Display name of the sender, e.g. 投诉闭环系统. */
  fromName?: string;
  date: Date;
}

/** `=?UTF-8?B?…?=` words of at most 36 bytes each (≤ 60 characters), split on code points. */
export function encodeWords(text: string): string {
  if (/^[\x20-\x7E]*$/.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 36) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  // Folded with CRLF + space; white space between adjacent encoded words is ignored by readers (RFC 2047 §6.2).
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

/** RFC 5322 date-time, e.g. `Thu, 26 Nov 2026 02:00:00 +0000`. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** A Message-ID from the dedupe key: readable when it is plain, hashed when it is not. */
export function messageIdFor(dedupeKey: string): string {
  const local = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(dedupeKey)
    ? dedupeKey
    : createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);
  return `${local}@${LOCAL_MAIL_DOMAIN}`;
}

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g)
      ?.join(CRLF) ?? ''
  );
}

/** The complete message, CRLF line ends, ready to be written as a `.eml` file. */
export function buildEml(message: MailMessage, opts: EmlOptions): { eml: string; messageId: string } {
  const messageId = messageIdFor(message.dedupeKey);
  const boundary = `=_alt_${createHash('sha1').update(`${message.dedupeKey}|${opts.date.toISOString()}`).digest('hex').slice(0, 24)}`;
  const from = opts.fromName ? `${encodeWords(opts.fromName)} <${opts.from}>` : opts.from;
  const headers = [
    `From: ${from}`,
    `To: ${message.to.join(', ')}`,
    ...(message.cc && message.cc.length > 0 ? [`Cc: ${message.cc.join(', ')}`] : []),
    `Subject: ${encodeWords(message.subject)}`,
    `Date: ${rfc5322Date(opts.date)}`,
    `Message-ID: <${messageId}>`,
    `X-Dedupe-Key: ${message.dedupeKey.replace(/[\r\n]/g, ' ')}`,
    'MIME-Version: 1.0',
  ];
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: base64', '', base64Lines(body)].join(CRLF);
  const content =
    message.html === undefined
      ? [`Content-Type: text/plain; charset=UTF-8`, 'Content-Transfer-Encoding: base64', '', base64Lines(message.text)].join(CRLF)
      : [
          `Content-Type: multipart/alternative; boundary="${boundary}"`,
          '',
          'This is a multi-part message in MIME format.',
          part('text/plain', message.text),
          part('text/html', message.html),
          `--${boundary}--`,
        ].join(CRLF);
  const attachments = message.attachments ?? [];
  const body = attachments.length === 0 ? content : mixed(content, attachments, boundary);
  return { eml: `${headers.join(CRLF)}${CRLF}${body}${CRLF}`, messageId };
}

/** RFC 2231 `filename*` value: UTF-8, percent-encoded (a Chinese file name survives every client). */
const rfc2231 = (name: string): string => `UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/** An ASCII stand-in for clients that read only `filename=`. */
const asciiName = (name: string): string => {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot) : '';
  const stem = (dot > 0 ? name.slice(0, dot) : name).replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${stem || 'attachment'}${ext.replace(/[^A-Za-z0-9.]/g, '')}`;
};

/** `multipart/mixed`: the text (or the text/html alternative) first, then each file in base64. */
function mixed(content: string, attachments: MailAttachment[], boundary: string): string {
  const outer = boundary.replace('_alt_', '_mix_');
  const files = attachments.map((a) =>
    [
      `--${outer}`,
      `Content-Type: ${a.contentType}; name="${encodeWords(a.filename).replace(/\r\n /g, ' ')}"`,
      `Content-Disposition: attachment; filename="${asciiName(a.filename)}"; filename*=${rfc2231(a.filename)}`,
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(a.content)
        .toString('base64')
        .match(/.{1,76}/g)
        ?.join(CRLF) ?? '',
    ].join(CRLF),
  );
  return [
    `Content-Type: multipart/mixed; boundary="${outer}"`,
    '',
    'This is a multi-part message in MIME format.',
    `--${outer}`,
    content,
    ...files,
    `--${outer}--`,
  ].join(CRLF);
}

/** `20261126T020000123Z` — sorts by time as a file name. */
export const fileStamp = (date: Date): string => date.toISOString().replace(/[-:.]/g, '');

/** A dedupe key as a file name part. */
export const fileSafe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 120);

export interface FileMailerOptions {
  dir: string;
  from?: string;
  fromName?: string;
  clock?: Clock;
  logger?: Logger;
}

export class FileMailer implements Mailer {
  /** File-name suffixes (`_<dedupe key>.eml`) already in the folder, read once. */
  private written: Promise<Set<string>> | undefined;

  constructor(private readonly opts: FileMailerOptions) {}

  private existing(): Promise<Set<string>> {
    this.written ??= mkdir(this.opts.dir, { recursive: true })
      .then(() => readdir(this.opts.dir))
      .then((files) => new Set(files.filter((f) => f.endsWith('.eml')).map((f) => f.slice(f.indexOf('_') + 1))));
    return this.written;
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const suffix = `${fileSafe(message.dedupeKey)}.eml`;
    const written = await this.existing();
    if (written.has(suffix)) {
      this.opts.logger?.warn('e-mail with this dedupe key is in the outbox already: not written again', { dedupeKey: message.dedupeKey });
      return { messageId: messageIdFor(message.dedupeKey) };
    }
    written.add(suffix);
    const date = (this.opts.clock ?? systemClock).now();
    const { eml, messageId } = buildEml(message, {
      from: this.opts.from ?? `noreply@${LOCAL_MAIL_DOMAIN}`,
      fromName: this.opts.fromName ?? '投诉闭环系统',
      date,
    });
    const file = join(this.opts.dir, `${fileStamp(date)}_${suffix}`);
    const partial = join(this.opts.dir, `.${randomUUID()}.tmp`);
    try {
      // Each attachment also as a file beside the .eml (`<stamp>_<key>.<name>`), to open without a mail client.
      for (const a of message.attachments ?? []) {
        const tmp = join(this.opts.dir, `.${randomUUID()}.tmp`);
        await writeFile(tmp, a.content);
        await rename(tmp, join(this.opts.dir, `${fileStamp(date)}_${fileSafe(message.dedupeKey)}.${a.filename.replace(/[/\\\0]/g, '_')}`));
      }
      await writeFile(partial, eml, 'utf8');
      await rename(partial, file);
    } catch (error) {
      written.delete(suffix);
      throw error;
    }
    this.opts.logger?.info('e-mail written to the local outbox', { file, to: message.to, dedupeKey: message.dedupeKey });
    return { messageId };
  }
}
