/**
 * `ArchiveStore` for the local stack: each object is a file under `<dataDir>/archive/<key>` (decision
 * 065), written to a temporary name and renamed, so a killed run never leaves half an object. An
 * object that exists with the same bytes is not written again.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { ArchiveStore } from '#app/ports.ts';

export class FileArchiveStore implements ArchiveStore {
  constructor(readonly dir: string) {}

  /** The file of a key, never outside the archive folder. */
  private file(key: string): string {
    const root = resolve(this.dir);
    const path = resolve(join(root, key));
    if (!path.startsWith(`${root}${sep}`)) throw new Error(`archive key outside the archive: ${key}`);
    return path;
  }

  async put(object: { key: string; body: Uint8Array; sha256: string; contentType: string }): Promise<boolean> {
    const existing = await this.get(object.key);
    if (existing && createHash('sha256').update(existing).digest('hex') === object.sha256) return false;
    const path = this.file(object.key);
    await mkdir(dirname(path), { recursive: true });
    // A unique temporary name: two writes of one key in one process (two runs at once) must not share it.
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, object.body);
    await rename(tmp, path);
    return true;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
