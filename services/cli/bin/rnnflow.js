#!/usr/bin/env -S node --max-semi-space-size=64
// The workspace ships TypeScript sources; tsx compiles them on load so that one checkout
// runs without a build step.
// V8's young generation at 64 MB a semi-space (default 16): a predictor batch allocates
// thousands of records, predictions and states that die within the batch, and with the default
// the scavenger ran often enough to promote them still alive (~10 % of the event loop). Measured
// +17 % at-least-once throughput in services/bench/README.md. The Dockerfiles pass the same flag.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
