import { describe, expect, it } from 'vitest';
import { LearnedPorts, srcIsClient } from './serverSide.js';

describe('LearnedPorts', () => {
  it('forgets the oldest learned port first at its bound, and a relearned one keeps its place', () => {
    const ports = new LearnedPorts(3);
    ports.learn(1, 80);
    ports.learn(2, 80);
    ports.learn(1, 80);
    ports.learn(3, 443);
    expect(ports.size).toBe(3);
    ports.learn(4, 53);
    expect(ports.has(1, 80)).toBe(false);
    expect([ports.has(2, 80), ports.has(3, 443), ports.has(4, 53)]).toEqual([true, true, true]);
    ports.learn(5, 8080);
    ports.learn(6, 8080);
    expect(ports.size).toBe(3);
    expect([ports.has(2, 80), ports.has(3, 443)]).toEqual([false, false]);
    expect([ports.has(4, 53), ports.has(5, 8080), ports.has(6, 8080)]).toEqual([true, true, true]);
  });

  it('stays at its bound through many rounds of forgetting', () => {
    const ports = new LearnedPorts(1000);
    for (let e = 1; e <= 50_000; e++) ports.learn(e, 80);
    expect(ports.size).toBe(1000);
    expect(ports.has(49_001, 80)).toBe(true);
    expect(ports.has(49_000, 80)).toBe(false);
  });
});

describe('srcIsClient', () => {
  it('takes a learned service port over the port order', () => {
    const ports = new LearnedPorts();
    expect(srcIsClient(ports, 1, 80, 2, 40_000, 'tcp', 0)).toBe(false);
    ports.learn(2, 40_000);
    expect(srcIsClient(ports, 1, 80, 2, 40_000, 'tcp', 0)).toBe(true);
  });
});
