/**
 * Builds the staff console (`console/`) into `console/dist/`: one minified ES module bundle
 * (Preact + htm) plus the static page and stylesheet. The server's vocabularies — labels, the
 * permission matrix, the statuses each command is allowed from and the route table — are compiled
 * into the bundle as the virtual module `virtual:shared`, read from the same source files the Lambdas
 * are built from, so the console cannot drift from the server. The units and handlers are not: they
 * are the runtime directory, fetched from `GET /directory` after sign-in (console/src/directory.ts).
 *
 *   npm run console:build
 *
 * The local stack builds on the first request to `/console` (local/console.ts); the CDK stack
 * deploys the folder (infra/constructs/web-hosting.ts). `console/dist/` is not committed.
 */
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { PERMISSIONS } from '#domain/access.ts';
import { COMPENSATION_CAUSE_LABELS, EXEMPTION_LABELS } from '#domain/compensation.ts';
import { ALLOWED_FROM } from '#domain/lifecycle.ts';
import {
  CALLBACK_WAIVER_LABELS,
  CATEGORY_LABELS,
  CONTACT_METHODS,
  DELIVERY_METHOD_LABELS,
  LIABILITIES,
  SEVERITY_LABELS,
  SIGNER_RELATIONS,
  STATUS_LABELS,
  SUSPENSION_LABELS,
} from '#domain/model.ts';
import { ROUTES } from '#http/routes.ts';
import { DrillDownFilters } from '#domain/drill-filters.ts';
import { ListQuery } from '#domain/schemas.ts';

export const CONSOLE_DIR = fileURLToPath(new URL('../console', import.meta.url));
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');

/** What `virtual:shared` holds: everything the console takes from the server's source. */
export function sharedData() {
  return {
    labels: {
      status: STATUS_LABELS,
      severity: SEVERITY_LABELS,
      category: CATEGORY_LABELS,
      deliveryMethod: DELIVERY_METHOD_LABELS,
      suspension: SUSPENSION_LABELS,
      callbackWaiver: CALLBACK_WAIVER_LABELS,
      compensationCause: COMPENSATION_CAUSE_LABELS,
      exemption: EXEMPTION_LABELS,
    },
    contactMethods: [...CONTACT_METHODS],
    signerRelations: [...SIGNER_RELATIONS],
    liabilities: [...LIABILITIES],
    permissions: PERMISSIONS,
    allowedFrom: ALLOWED_FROM,
    routes: ROUTES.map((r) => `${r.method} ${r.path}`),
    // The filters GET /complaints takes as a worklist: the console sends a filter only when the server applies it
    // to the queue (decision 067). The statistics drill-down's (category, from, to, …) answer another question:
    // sent with a queue they were ignored, and the page was not filtered either.
    listQuery: Object.keys(ListQuery.shape).filter((k) => !(k in DrillDownFilters)),
  };
}
export type SharedData = ReturnType<typeof sharedData>;

const sharedPlugin: Plugin = {
  name: 'shared',
  setup(b) {
    b.onResolve({ filter: /^virtual:shared$/ }, () => ({ path: 'shared', namespace: 'virtual' }));
    b.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({ contents: JSON.stringify(sharedData()), loader: 'json' }));
  },
};

export interface ConsoleBuild {
  dir: string;
  /** The first-load JavaScript, raw and gzipped (bytes). */
  jsBytes: number;
  jsGzipBytes: number;
  /** The chunks loaded on demand (the reports page's charts), gzipped. */
  lazyJsGzipBytes: number;
}

/** Builds `console/dist/` from scratch. */
export async function buildConsole(outDir = CONSOLE_DIST): Promise<ConsoleBuild> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    // Code splitting: the reports page's charts are a dynamic import() (a chunk fetched when the page opens).
    entryPoints: { app: join(CONSOLE_DIR, 'src', 'main.ts') },
    outdir: outDir,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    metafile: true,
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [sharedPlugin],
  });
  await copyFile(join(CONSOLE_DIR, 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(CONSOLE_DIR, 'style.css'), join(outDir, 'style.css'));
  // The first load: app.js and the chunks it imports statically (not the dynamic ones, loaded on demand).
  const outputs = result.metafile.outputs;
  const first = new Set<string>();
  const walk = (file: string) => {
    if (first.has(file)) return;
    first.add(file);
    for (const i of outputs[file]?.imports ?? []) if (i.kind === 'import-statement') walk(i.path);
  };
  const appKey = Object.keys(outputs).find((k) => k.endsWith('/app.js') || k === 'app.js') as string;
  walk(appKey);
  const lazy = Object.keys(outputs).filter((k) => k.endsWith('.js') && !first.has(k));
  const read = async (files: string[]) => Promise.all(files.map((f) => readFile(f)));
  const js = await read([...first]);
  const gz = (files: Buffer[]) => files.reduce((n, b) => n + gzipSync(b).length, 0);
  return { dir: outDir, jsBytes: js.reduce((n, b) => n + b.length, 0), jsGzipBytes: gz(js), lazyJsGzipBytes: gz(await read(lazy)) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await buildConsole();
  console.log(`wrote ${out.dir}: first load ${out.jsBytes} B, ${out.jsGzipBytes} B gzipped; on demand ${out.lazyJsGzipBytes} B gzipped`);
}
