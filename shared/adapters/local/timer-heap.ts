/**
 * Named timers ordered by instant: a binary min-heap with lazy deletion by name. `set`, `delete`
 * and `peek` are O(log n) amortised — the local scheduler no longer scans every pending timer on
 * each arm/disarm (issue 10: 39 % of intake CPU at 24k pending timers).
 *
 * - The heap holds nodes; `live` maps each name to its current node. Replacing or deleting a name
 *   only changes `live`: the old node stays in the heap, stale, and is dropped when it reaches the
 *   top (lazy deletion).
 * - Stale nodes are bounded: when they outnumber the live ones (plus a small slack), the heap is
 *   rebuilt from `live` in O(n), which amortises to O(1) per operation.
 * - Equal instants come out in the order they were set (a sequence number breaks ties), so firing
 *   order is deterministic.
 */

interface Node<T> {
  name: string;
  at: number;
  seq: number;
  value: T;
}

/** What `peek` returns: the earliest live timer. */
export interface HeapTop<T> {
  name: string;
  at: number;
  value: T;
}

/** Stale nodes tolerated beyond the live count before the heap is rebuilt. */
const COMPACT_SLACK = 64;

export class TimerHeap<T> {
  private heap: Node<T>[] = [];
  private readonly live = new Map<string, Node<T>>();
  private seq = 0;

  /** Live timers. */
  get size(): number {
    return this.live.size;
  }

  /** Nodes held, live and stale (for tests of the compaction bound). */
  get held(): number {
    return this.heap.length;
  }

  has(name: string): boolean {
    return this.live.has(name);
  }

  get(name: string): T | undefined {
    return this.live.get(name)?.value;
  }

  /** Sets (or moves) the timer `name` to `at` with `value`. */
  set(name: string, at: number, value: T): void {
    const node: Node<T> = { name, at, seq: this.seq++, value };
    this.live.set(name, node);
    this.heap.push(node);
    this.up(this.heap.length - 1);
    this.compactIfStale();
  }

  /** Removes the timer `name`; false when there was none. */
  delete(name: string): boolean {
    const had = this.live.delete(name);
    if (had) this.compactIfStale();
    return had;
  }

  /** The earliest live timer, if any (stale nodes on top are dropped on the way). */
  peek(): HeapTop<T> | undefined {
    for (let top = this.heap[0]; top; top = this.heap[0]) {
      if (this.live.get(top.name) === top) return { name: top.name, at: top.at, value: top.value };
      this.popTop();
    }
    return undefined;
  }

  /** Every live timer, in no particular order. */
  *values(): IterableIterator<T> {
    for (const node of this.live.values()) yield node.value;
  }

  clear(): void {
    this.heap = [];
    this.live.clear();
  }

  private compactIfStale(): void {
    if (this.heap.length <= 2 * this.live.size + COMPACT_SLACK) return;
    this.heap = [...this.live.values()];
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private popTop(): void {
    const last = this.heap.pop();
    if (!last || this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private less(a: Node<T>, b: Node<T>): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const { heap } = this;
    const node = heap[i];
    if (!node) return;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex];
      if (!parent || !this.less(node, parent)) break;
      heap[i] = parent;
      i = parentIndex;
    }
    heap[i] = node;
  }

  private down(i: number): void {
    const { heap } = this;
    const node = heap[i];
    if (!node) return;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const left = heap[l];
      const right = heap[l + 1];
      if (!left) break;
      const [child, childIndex] = right && this.less(right, left) ? [right, l + 1] : [left, l];
      if (!this.less(child, node)) break;
      heap[i] = child;
      i = childIndex;
    }
    heap[i] = node;
  }
}
