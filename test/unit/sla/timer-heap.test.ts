import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerHeap } from '#adapters/local/timer-heap.ts';

/** Pops every live timer in order: `name@at`. */
function drain(heap: TimerHeap<string>): string[] {
  const out: string[] = [];
  for (let top = heap.peek(); top; top = heap.peek()) {
    out.push(`${top.name}@${top.at}`);
    heap.delete(top.name);
  }
  return out;
}

describe('the local scheduler’s timer heap', () => {
  it('gives the earliest timer first, ties in the order they were set', () => {
    const heap = new TimerHeap<string>();
    heap.set('c', 30, 'c');
    heap.set('a', 10, 'a');
    heap.set('b2', 20, 'b2');
    heap.set('b1', 20, 'b1');

    expect(drain(heap)).toEqual(['a@10', 'b2@20', 'b1@20', 'c@30']);
    expect(heap.size).toBe(0);
  });

  it('moves a re-armed name earlier or later and keeps one timer per name', () => {
    const heap = new TimerHeap<string>();
    heap.set('x', 50, 'x1');
    heap.set('y', 40, 'y');
    heap.set('x', 10, 'x2');
    heap.set('y', 90, 'y2');

    expect(heap.size).toBe(2);
    expect(heap.get('x')).toBe('x2');
    expect(drain(heap)).toEqual(['x@10', 'y@90']);
  });

  it('forgets a disarmed name (lazily) and says whether there was one', () => {
    const heap = new TimerHeap<string>();
    heap.set('a', 10, 'a');
    heap.set('b', 20, 'b');

    expect(heap.delete('a')).toBe(true);
    expect(heap.delete('a')).toBe(false);
    expect(heap.delete('never')).toBe(false);
    expect(heap.has('a')).toBe(false);
    expect(heap.peek()?.name).toBe('b');
  });

  it('agrees with a sorted list under any sequence of arms and disarms', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), name: fc.integer({ min: 0, max: 20 }), at: fc.integer({ min: 0, max: 1_000 }) }),
      fc.record({ kind: fc.constant('delete' as const), name: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const heap = new TimerHeap<string>();
        const model = new Map<string, { at: number; seq: number }>();
        ops.forEach((o, seq) => {
          const name = `t${o.name}`;
          if (o.kind === 'set') {
            heap.set(name, o.at, name);
            model.set(name, { at: o.at, seq });
          } else {
            heap.delete(name);
            model.delete(name);
          }
        });
        const expected = [...model].sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq).map(([name, { at }]) => `${name}@${at}`);
        expect(drain(heap)).toEqual(expected);
      }),
    );
  });

  it('keeps 50,000 timers, re-arms each, and still holds at most about twice the live count', () => {
    const heap = new TimerHeap<number>();
    const n = 50_000;
    // A shuffled order of instants (a multiplicative permutation mod n).
    for (let i = 0; i < n; i++) heap.set(`c${i}`, (i * 7_919) % n, i);
    for (let i = 0; i < n; i++) heap.set(`c${i}`, n + ((i * 104_729) % n), i);
    for (let i = 0; i < n; i += 2) heap.delete(`c${i}`);

    expect(heap.size).toBe(n / 2);
    expect(heap.held).toBeLessThanOrEqual(2 * heap.size + 64);
    let last = -1;
    let count = 0;
    const wrong: string[] = [];
    for (let top = heap.peek(); top; top = heap.peek()) {
      if (top.at < last || top.at < n || top.value % 2 !== 1) wrong.push(`${top.name}@${top.at}`);
      last = top.at;
      count++;
      heap.delete(top.name);
    }
    expect(wrong).toEqual([]);
    expect(count).toBe(n / 2);
  });

  it('costs about the same per arm and disarm at 50,000 pending timers as at 1,000 (no scan)', () => {
    const perOp = (pending: number) => {
      const heap = new TimerHeap<number>();
      for (let i = 0; i < pending; i++) heap.set(`p${i}`, (i * 7_919) % pending, i);
      const ops = 20_000;
      const started = performance.now();
      for (let i = 0; i < ops; i++) {
        heap.set(`p${i % pending}`, pending + i, i);
        heap.delete(`p${(i * 31) % pending}`);
        heap.peek();
      }
      return (performance.now() - started) / ops;
    };
    perOp(1_000); // warm-up
    const small = perOp(1_000);
    const large = perOp(50_000);
    // A scan would be ~50× slower at 50k; log n grows ~1.6×. Generous bound for a busy machine.
    expect(large).toBeLessThan(small * 8);
  });
});
