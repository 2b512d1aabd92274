// Run as a child process by test/devstack/dev-stack.test.ts: starts the embedded stack, prints
// one JSON line with its addresses, then idles until killed. The test SIGKILLs this process,
// so no handler of ours runs, and checks that the broker and Redis still go away.
import { startDevStack } from '@rnnflow/devstack';

const stack = await startDevStack({
  brokers: 1,
  topics: [{ name: 'orphan-check', partitions: 1 }],
});
process.stdout.write(
  `${JSON.stringify({ kafkaPid: stack.kafkaMock?.pid, kafkaBrokers: stack.kafkaBrokers, redisUrl: stack.redisUrl })}\n`,
);
setInterval(() => {}, 60_000);
