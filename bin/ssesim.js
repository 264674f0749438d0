#!/usr/bin/env node
// Launcher for the `ssesim` bin: registers tsx so the TypeScript entry runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli.ts');
