#!/usr/bin/env node
// The workspace ships TypeScript sources; tsx compiles them on load so that one checkout
// runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
