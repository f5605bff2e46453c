/**
 * The one mapper from zod issues to {@link FieldIssue}s (the problem body's `errors[]`, a poison message's
 * issues, a rejected directory entry or holiday notice). Callers differ only in the options below, each
 * kept as its answers were before the mappers were merged (decision 066).
 */
import type { $ZodError } from 'zod/v4/core';
import type { FieldIssue } from './errors.ts';

export interface FieldIssueOptions {
  /** Segments before each issue's own path (`['query']` for a query string). */
  prefix?: readonly PropertyKey[];
  /** `dotted` (`process.contactedAt`, default) or `json` (`$.process.contactedAt`, the channel webhooks' style). */
  style?: 'dotted' | 'json';
  /** The path of an issue about the whole value (default `''`; `(body)` for the admin routes). */
  root?: string;
  /** `each` (default): one `Unknown field` issue per unrecognised key, each naming its key; `whole`: zod's one issue. */
  unknownKeys?: 'each' | 'whole';
  /** Report each (path, message) once: a URL failing two checks is named once. */
  dedupe?: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `$`, `.name`, `[0]`, `["odd key"]`: a JSON path as the channel webhooks report it. */
export function toJsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** zod issues → field issues. */
export function fieldIssues(error: $ZodError, opts: FieldIssueOptions = {}): FieldIssue[] {
  const { prefix = [], style = 'dotted', root = '', unknownKeys = 'each', dedupe = false } = opts;
  const pathOf = (segments: readonly PropertyKey[]): string => (style === 'json' ? toJsonPath(segments) : segments.map(String).join('.') || root);
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: FieldIssue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (dedupe && seen.has(key)) return;
    seen.add(key);
    out.push(issue);
  };
  for (const issue of error.issues) {
    const base = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys' && unknownKeys === 'each') {
      for (const k of issue.keys) push({ path: pathOf([...base, k]), message: 'Unknown field' });
    } else push({ path: pathOf(base), message: issue.message });
  }
  return out;
}
