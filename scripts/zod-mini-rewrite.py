"""
Mechanical zod classic -> zod/mini rewrite of method chains (decision 064), the one used on the runtime
schemas; kept to apply the same rewrite to schemas written against classic `zod` since.

    python3 scripts/zod-mini-rewrite.py <file.ts> [root1,root2,...]

Rewrites `.optional() .nullable() .nullish() .default(v) .transform(f) .pipe(s) .extend(shape)
.catchall(s) .or(s)` into their functions (`z.optional(s)`, `z._default(s, v)`, `z.pipe(s, z.transform(f))`,
`z.extend(s, shape)`, ...) and the checks `.min .max .regex .trim .toUpperCase .toLowerCase .int .nonnegative
.positive .gt .lt .length .startsWith .refine .superRefine .meta` into `s.check(z.minLength(n))` /
`z.minimum(n)` (numbers) / `z.regex(...)` / `z.meta(m)` ..., on chains rooted at `z` or at one of the named
local schemas (`text`, `identifier`, ...); strings, regex literals and comments are skipped. It replaces
`import * as z from 'zod'` by `#domain/zod.ts` (zod/mini with zod's English messages). Review the diff and
run `npx tsc --noEmit`: a method left on a mini schema is a type error. Formatting is left to the formatter.
"""
import re, sys

WRAP = {'optional': 'z.optional({r})', 'nullable': 'z.nullable({r})', 'nullish': 'z.nullish({r})'}
WRAP_ARG = {'default': 'z._default({r}, {a})', 'transform': 'z.pipe({r}, z.transform({a}))', 'catchall': 'z.catchall({r}, {a})', 'or': 'z.union([{r}, {a}])', 'pipe': 'z.pipe({r}, {a})', 'extend': 'z.extend({r}, {a})'}
CHECK = {'regex': 'regex', 'trim': 'trim', 'toUpperCase': 'toUpperCase', 'toLowerCase': 'toLowerCase', 'int': 'int', 'nonnegative': 'nonnegative', 'positive': 'positive',
         'gt': 'gt', 'lt': 'lt', 'refine': 'refine', 'superRefine': 'superRefine', 'meta': 'meta', 'startsWith': 'startsWith', 'length': 'length'}
SIZED = {'min', 'max'}
METHODS = set(WRAP) | set(WRAP_ARG) | set(CHECK) | SIZED

def mask(src):
    """Same length string with strings/regex/comments replaced by spaces (keeping quotes)."""
    out = list(src); i = 0; n = len(src)
    def prev_sig(k):
        k -= 1
        while k >= 0 and src[k] in ' \t\n': k -= 1
        return src[k] if k >= 0 else ''
    while i < n:
        c = src[i]
        if src.startswith('//', i):
            j = src.find('\n', i); j = n if j < 0 else j
            for k in range(i, j): out[k] = ' '
            i = j; continue
        if src.startswith('/*', i):
            j = src.find('*/', i) + 2
            for k in range(i, j): out[k] = ' ' if src[k] != '\n' else '\n'
            i = j; continue
        if c in '\'"`':
            j = i + 1
            while src[j] != c:
                if src[j] == '\\': j += 1
                j += 1
            for k in range(i + 1, j): out[k] = ' ' if src[k] != '\n' else '\n'
            i = j + 1; continue
        if c == '/' and prev_sig(i) in '(,:=[!&|?;{}' :
            j = i + 1; cls = False
            while True:
                if src[j] == '\\': j += 2; continue
                if src[j] == '[': cls = True
                elif src[j] == ']': cls = False
                elif src[j] == '/' and not cls: break
                j += 1
            for k in range(i + 1, j): out[k] = ' '
            i = j + 1; continue
        i += 1
    return ''.join(out)

def close_of(m, i):
    d = 0
    for j in range(i, len(m)):
        if m[j] in '([{': d += 1
        elif m[j] in ')]}':
            d -= 1
            if d == 0: return j
    raise ValueError('unbalanced')

def open_of(m, j):
    d = 0
    for i in range(j, -1, -1):
        if m[i] in ')]}': d += 1
        elif m[i] in '([{':
            d -= 1
            if d == 0: return i
    raise ValueError('unbalanced back')

def receiver_start(m, end):
    """m[end-1] is the last char of the receiver; walk back over a member/call chain."""
    i = end - 1
    while True:
        while i >= 0 and m[i] in ' \t\n': i -= 1
        if m[i] == ')':
            i = open_of(m, i) - 1
            continue
        if re.match(r'[\w$]', m[i]):
            while i >= 0 and re.match(r'[\w$]', m[i]): i -= 1
            k = i
            while k >= 0 and m[k] in ' \t\n': k -= 1
            if k >= 0 and m[k] == '.':
                i = k - 1; continue
            return i + 1
        raise ValueError('odd receiver at ' + m[max(0, i - 30):i + 1])

def convert(src, roots):
    changed = True; log = []
    while changed:
        changed = False
        m = mask(src)
        for mt in re.finditer(r'(\s*)\.(' + '|'.join(sorted(METHODS)) + r')\(', m):
            name = mt.group(2)
            dot = mt.start()
            if dot == 0 or not re.match(r'[\w$)]', m[dot - 1]): continue
            try:
                start = receiver_start(m, dot)
            except (ValueError, IndexError):
                continue
            recv = src[start:dot]
            root = re.match(r'[\w$]+', recv).group(0)
            if recv.strip() == 'z' or not (root == 'z' or root in roots): continue
            po = mt.end() - 1; pc = close_of(m, po)
            args = src[po + 1:pc]
            if name in WRAP:
                assert args.strip() == '', (name, args)
                rep = WRAP[name].format(r=recv)
            elif name in WRAP_ARG:
                rep = WRAP_ARG[name].format(r=recv, a=args.strip())
            else:
                if name in SIZED:
                    numeric = re.match(r'z\.(coerce\.)?number|z\.int\b', re.sub(r'\s+', '', recv)) is not None or root in roots.get('__numeric__', ())
                    fn = ('minimum' if name == 'min' else 'maximum') if numeric else ('minLength' if name == 'min' else 'maxLength')
                else:
                    fn = CHECK[name]
                rep = f'{recv}.check(z.{fn}({args}))'
            log.append((recv.strip()[:40], name))
            src = src[:start] + rep + src[pc + 1:]
            changed = True
            break
    return src, log

if __name__ == '__main__':
    roots = dict.fromkeys(sys.argv[2].split(',') if len(sys.argv) > 2 and sys.argv[2] else [])
    p = sys.argv[1]
    s = open(p).read()
    s2, log = convert(s, roots)
    s2 = s2.replace("import * as z from 'zod';", "import * as z from '#domain/zod.ts';")
    open(p, 'w').write(s2)
    for r, n in log:
        if not r.startswith('z.'): print('  non-z root:', r, n)
    print(p, len(log), 'rewrites')
