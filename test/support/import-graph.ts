/**
 * The project's import graph from its sources: every `import … from`, `export … from`, side-effect
 * `import '…'` and literal `import('…')`, type-only ones included (a type import still ties one layer
 * to another). Specifiers resolve through package.json's `imports` map (`#domain/*` …) and relative
 * paths; packages (`zod`, `@aws-sdk/…`, `node:…`) are kept as they are written. A regex walk, not a
 * parser: enough for this tree's one-statement-per-import style, and it sees what esbuild would bundle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export type ImportGraph = Map<string, string[]>;

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Strips comments so an example in a TSDoc block is not taken for an import. */
const withoutComments = (source: string): string => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');

/**
 * The specifiers one source file imports, in order. `types: false` leaves out `import type` / `export type`
 * statements, which TypeScript erases (an inline `import { type A }` stays: under `verbatimModuleSyntax`
 * it still loads the module).
 */
export function importsOf(source: string, types = true): string[] {
  const out: string[] = [];
  for (const m of withoutComments(source).matchAll(SPECIFIER)) if (types || m[1] === undefined) out.push((m[2] ?? m[3]) as string);
  return out;
}

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(root, path, out);
    else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
}

/** Resolves one specifier of `from` (a path relative to `root`) to a project path, or returns it unchanged for a package. */
export function resolveSpecifier(specifier: string, from: string, aliases: Record<string, string>): string {
  for (const [pattern, target] of Object.entries(aliases)) {
    const prefix = pattern.replace(/\*$/, '');
    if (specifier.startsWith(prefix)) return normalize(join(target.replace(/\*$/, ''), specifier.slice(prefix.length)));
  }
  if (specifier.startsWith('.')) return normalize(join(dirname(from), specifier));
  return specifier;
}

/**
 * The graph of every `.ts`/`.js` file under `dirs` (paths relative to `root`, forward slashes); with
 * `types: false` only the imports that load code at run time.
 */
export function buildImportGraph(root: string, dirs: string[], types = true): ImportGraph {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports: Record<string, string> };
  const files: string[] = [];
  for (const dir of dirs) walk(root, dir, files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const rel = relative(root, join(root, file)).split('\\').join('/');
    graph.set(
      rel,
      importsOf(readFileSync(join(root, file), 'utf8'), types).map((s) => resolveSpecifier(s, rel, pkg.imports).split('\\').join('/')),
    );
  }
  return graph;
}

/** Every project file `entry` reaches through its imports, itself included. */
export function reachable(graph: ImportGraph, entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file) || !graph.has(file)) continue;
    seen.add(file);
    stack.push(...(graph.get(file) ?? []));
  }
  return seen;
}

/** One import chain from `from` to the first file matching `target`, for a readable failure. */
export function pathTo(graph: ImportGraph, from: string, target: (file: string) => boolean): string[] | undefined {
  const previous = new Map<string, string | undefined>([[from, undefined]]);
  const queue = [from];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (target(file)) {
      const chain: string[] = [];
      for (let at: string | undefined = file; at !== undefined; at = previous.get(at)) chain.unshift(at);
      return chain;
    }
    for (const next of graph.get(file) ?? []) {
      if (graph.has(next) && !previous.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** A layering rule: files matching `files` may not import anything matching `forbidden` (except `allowed`). */
export interface LayerRule {
  name: string;
  files: (file: string) => boolean;
  forbidden: (target: string) => boolean;
}

/** `file → target` for every direct import that breaks a rule. */
export function violations(graph: ImportGraph, rules: LayerRule[]): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    for (const rule of rules) {
      if (!rule.files(file)) continue;
      for (const target of targets) if (rule.forbidden(target)) out.push(`${rule.name}: ${file} → ${target}`);
    }
  }
  return out;
}

/** The strongly connected components with more than one file (import cycles), each sorted. Tarjan's algorithm. */
export function cycles(graph: ImportGraph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indices.get(w) as number));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}
