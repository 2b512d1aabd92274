import { defineConfig } from 'vitest/config';

// Integration tests start real brokers and Redis servers; on two cores, running files one at
// a time keeps their timings (and their ports) from fighting each other.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    fileParallelism: false,
    // Generous: a timeout only catches a hang; tests of several services on two loaded cores take
    // three times longer than on a quiet machine.
    testTimeout: 150_000,
    hookTimeout: 60_000,
    globalSetup: ['./support/global-setup.ts'],
  },
});
