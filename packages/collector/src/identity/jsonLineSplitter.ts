/** Longest watch event accepted: a pod with huge annotations is ~1 MiB; anything near this is broken. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Newline-delimited JSON, fed chunk by chunk as it arrives: a line may be split across chunks (and a
 * UTF-8 character across two), so bytes are kept until their newline comes. A line longer than the
 * bound, or one that is not JSON, is an error: the stream cannot be trusted past it.
 */
export class JsonLineSplitter {
  private parts: Buffer[] = [];
  private pending = 0;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  /** The values of the lines this chunk completes. */
  push(chunk: Buffer): unknown[] {
    const out: unknown[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      let line = chunk.subarray(start, nl);
      // A line wholly in this chunk is read where it is; only a line begun in an earlier chunk is joined.
      if (this.pending > 0) {
        this.take(line);
        line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.pending);
        this.parts = [];
        this.pending = 0;
      } else this.bound(line.length);
      const value = parseLine(line);
      if (value !== undefined) out.push(value);
      start = nl + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
    return out;
  }

  /** The stream ended: a last line without its newline still counts. */
  end(): unknown[] {
    if (this.pending === 0) return [];
    const line = Buffer.concat(this.parts, this.pending);
    this.parts = [];
    this.pending = 0;
    const value = parseLine(line);
    return value === undefined ? [] : [value];
  }

  private take(bytes: Buffer): void {
    this.bound(this.pending + bytes.length);
    if (bytes.length > 0) {
      // A copy: a slice would keep the whole chunk it came from alive.
      this.parts.push(Buffer.from(bytes));
      this.pending += bytes.length;
    }
  }

  private bound(lineBytes: number): void {
    if (lineBytes > this.maxLineBytes) {
      this.parts = [];
      this.pending = 0;
      throw new Error(`watch stream line longer than ${this.maxLineBytes} bytes`);
    }
  }
}

function parseLine(line: Buffer): unknown {
  const text = line.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`watch stream line is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}
