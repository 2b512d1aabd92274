import { Command, InvalidArgumentError, Option } from 'commander';
import { loadSettings, redisUrlSchema, setting, z } from '@rnnflow/config';
import {
  DEFAULT_DEV_TOPICS,
  DEV_STACK_KINDS,
  parseTopicSpec,
  startDevStack,
  type DevStack,
  type KafkaTopicSpec,
} from '@rnnflow/devstack';
import { RnnflowError } from '@rnnflow/errors';
import { createLogger, type Logger } from '@rnnflow/logging';
import { redactUrl } from '@rnnflow/state';

const MAX_BROKERS = 16;

interface UpFlags {
  brokerCount?: number;
  topic: KafkaTopicSpec[];
  stack?: string;
  redisUrl?: string;
}

/** `rnnflow devstack …`: a Kafka-protocol broker and Redis for development and tests. */
export function devstackCommand(): Command {
  const devstack = new Command('devstack').description(
    'Kafka-protocol broker and Redis for development and tests',
  );
  devstack
    .command('up')
    .description(
      'Start Kafka and Redis, print KAFKA_BROKERS=… and REDIS_URL=… on stdout, ' +
        'run until Ctrl-C, SIGTERM or the parent process exits, then stop everything started',
    )
    .option(
      '--broker-count <n>',
      `how many Kafka brokers to start, 1-${MAX_BROKERS} (default 3)`,
      brokerCount,
    )
    .addOption(
      new Option('--topic <name:partitions>', 'topic to create; repeat for more')
        .argParser(collectTopic)
        .default([], DEFAULT_DEV_TOPICS.map(formatTopic).join(' ')),
    )
    .option(
      '--stack <kind>',
      `${DEV_STACK_KINDS.join(' or ')}: child processes, or Apache Kafka and Redis in ` +
        'containers (env RNNFLOW_STACK; default embedded)',
    )
    .option('--redis-url <url>', 'use this Redis instead of starting one', redisUrl)
    .action((flags: UpFlags) => up(flags));
  return devstack;
}

async function up(flags: UpFlags): Promise<void> {
  const logger = createLogger('devstack');
  const { stack: kind } = loadSettings(
    {
      stack: setting({
        env: 'RNNFLOW_STACK',
        flag: 'stack',
        description: 'which development stack to run',
        schema: z.enum(DEV_STACK_KINDS as [string, ...string[]]),
        default: 'embedded',
      }),
    },
    { flags: { stack: flags.stack } },
  );
  // Listening before anything starts: a Ctrl-C that lands while the stack starts, or just
  // after the addresses are printed, must stop it rather than kill this process outright.
  const signals = listenForStopSignals();
  try {
    const stack = await startDevStack({
      kind: kind as DevStack['kind'],
      brokers: flags.brokerCount,
      topics: flags.topic.length > 0 ? flags.topic : DEFAULT_DEV_TOPICS,
      redisUrl: flags.redisUrl,
      onLog: (line) => logger.warn({ source: 'kafka-mock' }, line),
    });
    if (!signals.received()) {
      process.stdout.write(
        `KAFKA_BROKERS=${stack.kafkaBrokers.join(',')}\nREDIS_URL=${stack.redisUrl}\n`,
      );
      logger.info(
        { kind, kafkaBrokers: stack.kafkaBrokers, redisUrl: redactUrl(stack.redisUrl) },
        'devstack up; Ctrl-C or SIGTERM stops it',
      );
    }
    await runUntilStopped(stack, signals.signalled, logger);
  } finally {
    signals.dispose();
  }
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const PARENT_CHECK_INTERVAL_MS = 500;

interface StopReason {
  reason: string;
  /** True when the broker died on its own: the command then fails. */
  crashed: boolean;
}

/**
 * Stops the stack on the first of: a signal, the parent process exiting, the broker exiting.
 * On Ctrl-C the whole process group gets SIGINT, so the launcher may exit (code 0) before our
 * handler runs: that is a normal stop; any other exit of the launcher is a crash.
 */
async function runUntilStopped(
  stack: DevStack,
  signalled: Promise<StopReason>,
  logger: Logger,
): Promise<void> {
  const parent = watchParent();
  const reasons = [signalled, parent.exited];
  if (stack.kafkaMock !== undefined) {
    reasons.push(
      stack.kafkaMock.exited.then((exit) => ({
        reason: `the Kafka mock exited (${exit.signal ?? `code ${exit.code}`})`,
        crashed: exit.code !== 0,
      })),
    );
  }
  const { reason, crashed } = await Promise.race(reasons).finally(parent.dispose);
  logger.info({ reason }, 'stopping devstack');
  await stack.stop();
  logger.info('devstack stopped');
  if (crashed) throw new RnnflowError('DEVSTACK_BROKER_DIED', `devstack stopped: ${reason}`);
}

/**
 * The first SIGINT/SIGTERM/SIGHUP resolves `signalled`; a second one exits at once (130), for
 * a user whose Ctrl-C does not seem to work: the children then stop on their own, as their
 * stdin closes with this process.
 */
function listenForStopSignals() {
  let count = 0;
  let resolve: (reason: StopReason) => void = () => {};
  const signalled = new Promise<StopReason>((settle) => (resolve = settle));
  const onSignal = (signal: NodeJS.Signals) => {
    count += 1;
    if (count > 1) process.exit(130);
    resolve({ reason: signal, crashed: false });
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    signalled,
    received: () => count > 0,
    dispose: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    },
  };
}

/**
 * Resolves once this process has been reparented. `npx` runs us under `sh -c`, and a SIGTERM
 * to npx kills that shell without passing the signal on: this is how we learn of it.
 */
function watchParent(): { exited: Promise<StopReason>; dispose(): void } {
  const parent = process.ppid;
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<StopReason>((resolve) => {
    timer = setInterval(() => {
      if (process.ppid !== parent)
        resolve({ reason: `parent process ${parent} exited`, crashed: false });
    }, PARENT_CHECK_INTERVAL_MS);
  });
  return { exited, dispose: () => clearInterval(timer) };
}

function brokerCount(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > MAX_BROKERS) {
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_BROKERS}.`);
  }
  return count;
}

function collectTopic(value: string, previous: KafkaTopicSpec[]): KafkaTopicSpec[] {
  let topic: KafkaTopicSpec;
  try {
    topic = parseTopicSpec(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? `${error.message}.` : String(error));
  }
  if (previous.some((other) => other.name === topic.name)) {
    throw new InvalidArgumentError(`topic "${topic.name}" is given more than once.`);
  }
  return [...previous, topic];
}

function redisUrl(value: string): string {
  const parsed = redisUrlSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('expected a redis:// or rediss:// URL.');
  return parsed.data;
}

function formatTopic(topic: KafkaTopicSpec): string {
  return `${topic.name}:${topic.partitions}`;
}
