/**
 * The holiday data files, read from disk when the calendar module loads instead of imported: a JSON
 * import is inlined by esbuild into every bundle as a JS object literal (~12.7 KB of every function with
 * a work calendar), while a data file beside the bundle weighs nothing in it and `JSON.parse` of its text
 * is cheaper for V8 than parsing the same object literal (decision 073). `holidays.ts` validates what
 * this returns, as it validated the imports.
 *
 * The files are found beside this module, by `import.meta.url`: in the source tree (tsx, vitest) that is
 * `shared/config/`, where they are versioned; in a Lambda bundle it is the bundle's own directory
 * (`import.meta.url` is then `index.mjs`), where the bundling copies them (`DATA_FILES`,
 * infra/constructs/bundling.ts). So this module stays in `shared/config/`, next to the files. The reading
 * is here, not in the domain, which does no I/O of its own (decision 066); it is what the module loader
 * did for the JSON imports before.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The holiday data files: the official arrangement and the provisional years (decision 040). */
export const HOLIDAY_FILES = ['holidays-cn.json', 'holidays-cn-provisional.json'] as const;

export type HolidayFileName = (typeof HOLIDAY_FILES)[number];

/** The parsed JSON of one holiday data file; throws, naming the file and where it was looked for, when it is missing or not JSON. */
export function readHolidayFile(name: HolidayFileName): unknown {
  const path = fileURLToPath(new URL(name, import.meta.url));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new Error(
      `holiday data file ${name} cannot be read at ${path} (${code}): it must lie beside the code that reads it — shared/config/ in the source tree, ` +
        'the directory of index.mjs in a Lambda bundle, where the bundling copies it (infra/constructs/bundling.ts, decision 073). Without it no deadline can be computed.',
      { cause },
    );
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new Error(`holiday data file ${name} at ${path} is not JSON: ${(cause as Error).message}`, { cause });
  }
}
