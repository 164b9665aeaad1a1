/**
 * Lines for an async consumer, keeping at most `capacity` (oldest dropped first, counted), so a
 * consumer that never reads cannot grow memory without bound.
 */
export class BoundedLineQueue implements AsyncIterable<string> {
  private readonly lines: string[] = [];
  private waiting: ((r: IteratorResult<string>) => void) | null = null;
  private closed = false;
  dropped = 0;

  constructor(private readonly capacity = 1000) {}

  push(line: string): void {
    if (this.closed) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: line, done: false });
      return;
    }
    if (this.lines.length >= this.capacity) {
      this.lines.shift();
      this.dropped++;
    }
    this.lines.push(line);
  }

  close(): void {
    this.closed = true;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: undefined, done: true });
    }
  }

  /** Lines received so far and not yet consumed (for error messages). */
  snapshot(): string[] {
    return [...this.lines];
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return {
      next: () => {
        const line = this.lines.shift();
        if (line !== undefined) return Promise.resolve({ value: line, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
    };
  }
}
