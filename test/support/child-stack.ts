/**
 * `local/start.ts` in a child process on a data folder, for the tests that kill it (-9) and start it again.
 * Resolves with its URLs once the banner is out.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildStack {
  proc: ChildProcess;
  url: string;
  dynamo: string;
}

/**
 * One process (no tsx CLI wrapper), so that SIGKILL kills the stack itself. `preload`: modules imported before
 * the stack (e.g. a fault injector); `onSpawn` hears of the process at once, so a start that fails can still be killed.
 */
export function startChildStack(
  dir: string,
  env: Record<string, string>,
  { preload = [], onSpawn }: { preload?: string[]; onSpawn?: (proc: ChildProcess) => void } = {},
): Promise<ChildStack> {
  const { VITEST: _v, VITEST_WORKER_ID: _w, VITEST_POOL_ID: _p, ...parent } = process.env;
  const proc = spawn(process.execPath, ['--import', 'tsx', ...preload.flatMap((m) => ['--import', m]), 'local/start.ts'], {
    cwd: process.cwd(),
    env: { ...parent, ...env, DATA_DIR: dir, PORT: '0', RATE_LIMIT: 'off', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onSpawn?.(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    // A cap, not a wait: the banner ends it. A restart after a kill also re-indexes the table first (local/dynamo.ts).
    const timer = setTimeout(() => reject(new Error(`local stack did not start: ${out}\n${err}`)), 45_000);
    proc.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /API\s+(http:\/\/localhost:\d+)/.exec(out)?.[1];
      const dynamo = /DynamoDB\s+(http:\/\/\S+)/.exec(out)?.[1];
      if (url && dynamo) {
        clearTimeout(timer);
        resolve({ proc, url, dynamo });
      }
    });
    proc.once('exit', (code, signal) => reject(new Error(`local stack exited with ${code ?? signal}: ${err}`)));
  });
}
