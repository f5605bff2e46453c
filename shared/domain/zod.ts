/**
 * The zod every runtime schema is written with: `zod/mini` (functional, tree-shaken: a function bundles
 * only the schema kinds and checks it uses) with zod's English messages, which `zod` classic installs on
 * import and `zod/mini` does not — so every issue message, and every problem body, stays as it was
 * (decision 064). Import it as `import * as z from './zod.ts'` (or the relative path); never `'zod'`
 * in code a function bundles: classic is ~99 KB minified and cannot be tree-shaken.
 *
 * Written as classic, read as mini (decision 064 has the whole table):
 * `s.optional()` → `z.optional(s)`, `s.default(v)` → `z._default(s, v)`, `s.min(n)` (string/array) →
 * `s.check(z.minLength(n))`, `s.max(n)` → `s.check(z.maxLength(n))`, `s.regex(r, m)` → `s.check(z.regex(r, m))`,
 * `s.trim()` → `s.check(z.trim())`, `s.refine(f, m)` → `s.check(z.refine(f, m))`, `s.meta(m)` → `s.check(z.meta(m))`.
 */
import en from 'zod/v4/locales/en.js';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
