import { describe, expect, it } from 'vitest';
import { originAllowed, parseAllowedOrigins } from './allowedOrigin.js';

const none = new Set<string>();

describe('originAllowed', () => {
  it('accepts no Origin (not a browser) and the server itself', () => {
    expect(originAllowed(undefined, '127.0.0.1:8080', none)).toBe(true);
    expect(originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', none)).toBe(true);
    expect(originAllowed('http://LOCALHOST:8080', 'localhost:8080', none)).toBe(true);
    expect(originAllowed('https://weft.example.com', 'weft.example.com:443', none)).toBe(true);
    expect(originAllowed('http://[::1]:8080', '[::1]:8080', none)).toBe(true);
  });

  it('refuses other sites, other ports, opaque and odd origins', () => {
    expect(originAllowed('http://evil.example', '127.0.0.1:8080', none)).toBe(false);
    expect(originAllowed('http://127.0.0.1:9999', '127.0.0.1:8080', none)).toBe(false);
    expect(originAllowed('http://127.0.0.1', '127.0.0.1:8080', none)).toBe(false);
    expect(originAllowed('null', '127.0.0.1:8080', none)).toBe(false);
    expect(originAllowed('', '127.0.0.1:8080', none)).toBe(false);
    expect(originAllowed('file:///tmp/x.html', '127.0.0.1:8080', none)).toBe(false);
    expect(originAllowed('chrome-extension://abc', 'abc', none)).toBe(false);
    expect(originAllowed('http://127.0.0.1:8080', undefined, none)).toBe(false);
    expect(originAllowed('http://127.0.0.1:8080', 'bad host/x', none)).toBe(false);
  });

  it('accepts the listed origins', () => {
    const { origins } = parseAllowedOrigins('https://weft.example.com, http://localhost:3000');
    const allowed = new Set(origins);
    expect(originAllowed('https://weft.example.com', '10.0.0.5:8080', allowed)).toBe(true);
    expect(originAllowed('http://localhost:3000', '127.0.0.1:8080', allowed)).toBe(true);
    expect(originAllowed('http://weft.example.com', '10.0.0.5:8080', allowed)).toBe(false);
  });
});

describe('parseAllowedOrigins', () => {
  it('normalises origins and names every bad entry', () => {
    const r = parseAllowedOrigins(
      ' https://Weft.Example.com:443/ ,,http://a.test:81,ftp://x.test,https://b.test/path,*',
    );
    expect(r.origins).toEqual(['https://weft.example.com', 'http://a.test:81']);
    expect(r.problems).toHaveLength(3);
    expect(r.problems.join('\n')).toContain('ftp://x.test');
    expect(r.problems.join('\n')).toContain('https://b.test/path');
  });
});
