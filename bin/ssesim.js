#!/usr/bin/env node
// The `ssesim` executable. In a clone (the TypeScript sources beside it and tsx installed) it runs
// the sources, so it never runs a stale build; an installed package runs the compiled dist/.
import { existsSync } from 'node:fs';

const sources = new URL('../cli.ts', import.meta.url);
let tsx = null;
if (existsSync(sources)) tsx = await import('tsx/esm/api').catch(() => null);
if (tsx) {
  tsx.register();
  await import(sources.href);
} else {
  await import('../dist/cli.js');
}
