/**
 * A minimal RFC 5322 / MIME reader for the tests: unfolds headers, decodes RFC 2047 encoded words and
 * base64 / quoted-printable parts. Enough to prove an `.eml` file from the local outbox is well formed.
 */

export interface ParsedPart {
  headers: Map<string, string>;
  contentType: string;
  charset?: string;
  body: string;
}

export interface ParsedMail {
  headers: Map<string, string>;
  /** Header names in file order, lower-cased. */
  headerNames: string[];
  subject: string;
  parts: ParsedPart[];
  /** Every physical line of the file (CRLF-separated). */
  lines: string[];
}

export function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
    if (charset.toUpperCase() !== 'UTF-8') throw new Error(`unexpected charset ${charset}`);
    const bytes =
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          );
    return bytes.toString('utf8');
  });
}

function splitHead(raw: string): { head: string; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  if (at < 0) throw new Error('no blank line between header and body');
  return { head: raw.slice(0, at), body: raw.slice(at + 4) };
}

function parseHeaders(head: string): { headers: Map<string, string>; names: string[] } {
  const headers = new Map<string, string>();
  const names: string[] = [];
  const unfolded = head.replace(/\r\n(?=[ \t])/g, '');
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed header line: ${line}`);
    const name = line.slice(0, colon).toLowerCase();
    names.push(name);
    headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, names };
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(value);
  return m?.[1];
}

function decodeBody(body: string, headers: Map<string, string>): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

function part(raw: string): ParsedPart {
  const { head, body } = splitHead(raw);
  const { headers } = parseHeaders(head);
  const type = headers.get('content-type') ?? 'text/plain';
  const charset = param(type, 'charset');
  return { headers, contentType: type.split(';')[0]?.trim().toLowerCase() ?? '', ...(charset !== undefined && { charset }), body: decodeBody(body, headers) };
}

export function parseEml(raw: string): ParsedMail {
  if (/(?<!\r)\n/.test(raw)) throw new Error('bare LF: lines must end with CRLF');
  const { head, body } = splitHead(raw);
  const { headers, names } = parseHeaders(head);
  const type = headers.get('content-type') ?? '';
  let parts: ParsedPart[];
  if (type.toLowerCase().startsWith('multipart/')) {
    const boundary = param(type, 'boundary');
    if (!boundary) throw new Error('multipart without boundary');
    const sections = body.split(`--${boundary}`);
    if (!body.includes(`--${boundary}--`)) throw new Error('missing closing boundary');
    parts = sections
      .slice(1)
      .filter((s) => !s.startsWith('--'))
      .map((s) => part(s.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  } else {
    parts = [part(raw)];
  }
  return { headers, headerNames: names, subject: decodeWords(headers.get('subject') ?? ''), parts, lines: raw.split('\r\n') };
}
