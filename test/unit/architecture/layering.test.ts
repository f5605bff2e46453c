/**
 * The layering of issue 10 item 5 / STYLE "The core owns its interfaces", over the real import graph:
 * the domain imports no outer layer, a use case no store, adapter or HTTP code (only the composition
 * root in `shared/app/wiring/` and `container.ts` builds those), a background Lambda no `shared/http`
 * at any depth, and no module loads itself back through its own imports. Decision 066.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_FUNCTIONS, DEPLOY_FUNCTIONS } from '../../../infra/functions.ts';
import { buildImportGraph, cycles, importsOf, pathTo, reachable, violations, type ImportGraph, type LayerRule } from '#test/support/import-graph.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCES = ['shared', 'functions', 'local', 'infra', 'scripts', 'bench', 'console/src'];

const OUTER = /^shared\/(app|store|adapters|http)\//;
const isComposition = (file: string) => file.startsWith('shared/app/wiring/') || file === 'shared/app/container.ts';

const RULES: LayerRule[] = [
  // Pure: hashing (node:crypto) computes, nothing else of Node's or AWS's does I/O for the domain.
  {
    name: 'domain imports no outer layer',
    files: (f) => f.startsWith('shared/domain/'),
    forbidden: (t) => OUTER.test(t) || /^(@aws-sdk\/|aws-lambda$)/.test(t) || (t.startsWith('node:') && t !== 'node:crypto'),
  },
  // A store or adapter implements ports: it finds them in the ports files, never in a use case. (effects.ts: the
  // outbox record's shape the store persists; correlation.ts: the invocation context the log adapter stamps.)
  {
    name: 'adapters implement ports',
    files: (f) => /^shared\/(store|adapters)\//.test(f),
    forbidden: (t) =>
      t.startsWith('shared/app/') &&
      !['shared/app/ports.ts', 'shared/app/directory-ports.ts', 'shared/app/effects.ts', 'shared/app/correlation.ts'].includes(t),
  },
  {
    name: 'use cases talk to ports',
    files: (f) => f.startsWith('shared/app/') && !isComposition(f),
    forbidden: (t) => /^shared\/(store|adapters|http)\//.test(t) || t.startsWith('@aws-sdk/'),
  },
];

const graph = buildImportGraph(ROOT, SOURCES);

describe('the import graph keeps the layers', () => {
  it('sees the tree: every function entry and its wiring are in the graph', () => {
    expect(graph.get('functions/read/handler.ts')).toContain('shared/http/handler.ts');
    expect(graph.size).toBeGreaterThan(150);
  });

  it('has no import from an inner layer to an outer one', () => {
    expect(violations(graph, RULES)).toEqual([]);
  });

  it.each([...BACKGROUND_FUNCTIONS, ...DEPLOY_FUNCTIONS])('background function %s reaches no shared/http module, at any depth', (name) => {
    const entry = `functions/${name}/handler.ts`;
    expect(graph.has(entry)).toBe(true);
    expect(pathTo(graph, entry, (f) => f.startsWith('shared/http/'))).toBeUndefined();
  });

  it('keeps the response schemas and the OpenAPI generator out of every Lambda (docs and tests only)', () => {
    const entries = [...graph.keys()].filter((f) => /^functions\/[^/]+\/handler\.ts$/.test(f));
    expect(entries.length).toBeGreaterThan(15);
    for (const entry of entries)
      expect(
        pathTo(graph, entry, (f) => f === 'shared/http/responses.ts' || f === 'shared/http/openapi.ts'),
        entry,
      ).toBeUndefined();
  });

  it('keeps the demo directory (shared/config/index.ts: units.json + routing.json) out of every Lambda: only local/, scripts, infra and tests read it', () => {
    const entries = [...graph.keys()].filter((f) => /^functions\/[^/]+\/handler\.ts$/.test(f));
    for (const entry of entries)
      expect(
        pathTo(graph, entry, (f) => f === 'shared/config/index.ts'),
        entry,
      ).toBeUndefined();
    const readers = [...graph].filter(([, targets]) => targets.includes('shared/config/index.ts')).map(([f]) => f);
    expect(readers.filter((f) => !/^(local|scripts|infra|bench)\//.test(f))).toEqual([]);
    expect(readers).toContain('local/stack.ts');
  });

  it('keeps the lifecycle and the SLA planner apart: the lifecycle cannot reach the planner', () => {
    expect(reachable(graph, 'shared/domain/lifecycle.ts').has('shared/domain/sla/planner.ts')).toBe(false);
  });

  it('has no import cycle among the modules that load at run time', () => {
    expect(cycles(buildImportGraph(ROOT, SOURCES, false))).toEqual([]);
  });
});

describe('the checker itself', () => {
  const fake: ImportGraph = new Map([
    ['shared/domain/a.ts', ['shared/store/b.ts', 'zod']],
    ['shared/store/b.ts', ['shared/app/ports.ts']],
    ['shared/app/ports.ts', []],
    ['shared/app/use.ts', ['shared/app/wiring/x.ts']],
    ['shared/app/wiring/x.ts', ['shared/http/log.ts']],
    ['shared/http/log.ts', ['shared/app/use.ts']],
  ]);

  it('reports a domain module importing the store, naming both files', () => {
    expect(violations(fake, RULES)).toEqual(['domain imports no outer layer: shared/domain/a.ts → shared/store/b.ts']);
  });

  it('finds a transitive path to shared/http and the cycle it closes', () => {
    expect(pathTo(fake, 'shared/app/use.ts', (f) => f.startsWith('shared/http/'))).toEqual([
      'shared/app/use.ts',
      'shared/app/wiring/x.ts',
      'shared/http/log.ts',
    ]);
    expect(cycles(fake)).toEqual([['shared/app/use.ts', 'shared/app/wiring/x.ts', 'shared/http/log.ts']]);
  });

  it('reads every import form, skips comments, and drops type-only imports on request', () => {
    const source = [
      "import type { A } from '#app/ports.ts';",
      "import { b, type C } from './b.ts';",
      "export { d } from '../d.ts';",
      "export type { E } from './e.ts';",
      "import './side-effect.ts';",
      "const f = await import('#store/f.ts');",
      "// import { g } from './commented.ts';",
      "/** import { h } from './in-doc.ts'; */",
    ].join('\n');
    expect(importsOf(source)).toEqual(['#app/ports.ts', './b.ts', '../d.ts', './e.ts', './side-effect.ts', '#store/f.ts']);
    expect(importsOf(source, false)).toEqual(['./b.ts', '../d.ts', './side-effect.ts', '#store/f.ts']);
  });
});
