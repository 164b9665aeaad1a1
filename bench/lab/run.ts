// `pnpm bench lab` (root): the lab's traffic rates over a minute, as recorded in RESULTS.md.
await import('./rates.js');
