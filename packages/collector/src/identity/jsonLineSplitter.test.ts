import { describe, expect, it } from 'vitest';
import { JsonLineSplitter } from './jsonLineSplitter.js';

describe('JsonLineSplitter', () => {
  it('gives each line once it is complete, whatever the chunks (a UTF-8 character split too)', () => {
    const text = `${JSON.stringify({ type: 'ADDED', object: { name: 'café-ü' } })}\n{"type":"BOOKMARK"}\n`;
    const bytes = Buffer.from(text);
    // Every way of cutting the stream in two, and byte by byte.
    for (let cut = 0; cut <= bytes.length; cut++) {
      const s = new JsonLineSplitter();
      const out = [...s.push(bytes.subarray(0, cut)), ...s.push(bytes.subarray(cut)), ...s.end()];
      expect(out).toEqual([{ type: 'ADDED', object: { name: 'café-ü' } }, { type: 'BOOKMARK' }]);
    }
    const s = new JsonLineSplitter();
    const out: unknown[] = [];
    for (const b of bytes) out.push(...s.push(Buffer.from([b])));
    expect(out).toHaveLength(2);
  });

  it('keeps an unfinished line for later, and takes a last line without its newline at the end', () => {
    const s = new JsonLineSplitter();
    expect(s.push(Buffer.from('{"a":1}\n{"b"'))).toEqual([{ a: 1 }]);
    expect(s.push(Buffer.from(':2}'))).toEqual([]);
    expect(s.end()).toEqual([{ b: 2 }]);
    expect(s.end()).toEqual([]);
  });

  it('skips blank lines (CRLF too)', () => {
    const s = new JsonLineSplitter();
    expect(s.push(Buffer.from('\n\r\n{"a":1}\r\n\n'))).toEqual([{ a: 1 }]);
  });

  it('refuses a line longer than its bound, even before its newline comes', () => {
    const s = new JsonLineSplitter(16);
    expect(s.push(Buffer.from('{"a":"0123"}\n'))).toEqual([{ a: '0123' }]);
    s.push(Buffer.from('{"a":"0123'));
    expect(() => s.push(Buffer.from('456789"'))).toThrow(/longer than 16 bytes/);
  });

  it('refuses a line that is not JSON, quoting it', () => {
    const s = new JsonLineSplitter();
    expect(() => s.push(Buffer.from('{"a":1}\n<html>502 Bad Gateway</html>\n'))).toThrow(
      /not JSON: "<html>502 Bad Gateway/,
    );
  });
});
