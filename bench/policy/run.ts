// `pnpm bench policy`: explain latency with 500 policies and 5,000 pods, as recorded in RESULTS.md.
await import('./explain.js');
