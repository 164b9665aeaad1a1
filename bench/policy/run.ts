// `pnpm bench policy`: explain latency with 500 policies and 5,000 pods, then what-if and generate at
// 5,000 pods / 50,000 connections, as recorded in RESULTS.md.
await import('./explain.js');
await import('./whatIfGenerate.js');
