// `pnpm bench web`: the 2,000-node map benchmark with its recorded defaults (see RESULTS.md).
await import('./mapBench.mjs');
