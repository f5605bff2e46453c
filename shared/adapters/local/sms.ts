/**
 * `SmsSender` for the local stack: one JSON line per text message in `<dataDir>/outbox/sms.jsonl`
 * (what End User Messaging would have sent, readable with `tail -f` or `jq`).
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from '#domain/zod.ts';
import { type Logger, systemClock, type Clock, type SmsMessage, type SmsSender } from '#app/ports.ts';

export const SMS_OUTBOX_FILE = 'sms.jsonl';

export const SmsOutboxLine = z.object({ at: z.string(), messageId: z.string(), to: z.string(), text: z.string(), dedupeKey: z.string() });
export type SmsOutboxLine = z.infer<typeof SmsOutboxLine>;

export class FileSmsSender implements SmsSender {
  /**
   * Opened once in append mode and written synchronously: a ~200-byte line lands in the page cache
   * in microseconds, while an async write costs a thread-pool round trip on every intake.
   */
  private fd: number | undefined;
  private failures = 0;
  constructor(private readonly opts: { dir: string; clock?: Clock; logger?: Logger }) {}

  get file(): string {
    return join(this.opts.dir, SMS_OUTBOX_FILE);
  }

  /** The provider is down for the next `count` texts: each throws, as an unreachable provider would (tests, demos). */
  failNext(count: number): void {
    this.failures = count;
  }

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('local SMS provider unavailable (failNext)');
    }
    const line: SmsOutboxLine = {
      at: (this.opts.clock ?? systemClock).now().toISOString(),
      messageId: randomUUID(),
      to: message.to,
      text: message.text,
      dedupeKey: message.dedupeKey,
    };
    if (this.fd === undefined) {
      mkdirSync(this.opts.dir, { recursive: true });
      this.fd = openSync(this.file, 'a');
    }
    // One write per line in append mode: lines never interleave.
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    this.opts.logger?.info('SMS written to the local outbox', { file: this.file, dedupeKey: message.dedupeKey });
    return { messageId: line.messageId };
  }

  async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Reads the local SMS outbox (tests, the demo); empty when nothing was sent yet. */
export async function readSmsOutbox(dir: string): Promise<SmsOutboxLine[]> {
  let text: string;
  try {
    text = await readFile(join(dir, SMS_OUTBOX_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => SmsOutboxLine.parse(JSON.parse(l)));
}
