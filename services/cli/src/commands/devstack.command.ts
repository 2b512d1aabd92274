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

const MAX_BROKERS = 16;

interface UpFlags {
  brokers?: number;
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
    .option('--brokers <count>', `Kafka broker count, 1-${MAX_BROKERS} (default 3)`, brokerCount)
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
  const stack = await startDevStack({
    kind: kind as DevStack['kind'],
    brokers: flags.brokers,
    topics: flags.topic.length > 0 ? flags.topic : DEFAULT_DEV_TOPICS,
    redisUrl: flags.redisUrl,
    onLog: (line) => logger.warn({ source: 'kafka-mock' }, line),
  });
  process.stdout.write(
    `KAFKA_BROKERS=${stack.kafkaBrokers.join(',')}\nREDIS_URL=${stack.redisUrl}\n`,
  );
  logger.info(
    { kind, kafkaBrokers: stack.kafkaBrokers, redisUrl: stack.redisUrl },
    'devstack up; Ctrl-C or SIGTERM stops it',
  );
  await runUntilStopped(stack, logger);
}

const PARENT_CHECK_INTERVAL_MS = 500;

/**
 * Waits for SIGINT/SIGTERM, the parent process exiting, or the broker dying on its own, then
 * stops the stack. The parent check is there because `npx` runs us under `sh -c`, and a
 * SIGTERM to npx kills that shell without passing the signal on: we are then reparented.
 */
async function runUntilStopped(stack: DevStack, logger: Logger): Promise<void> {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<string>((resolve) => {
    onSignal = (signal) => resolve(signal);
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal).once('SIGHUP', onSignal);
  });
  let parentWatch: NodeJS.Timeout | undefined;
  const parentGone = new Promise<string>((resolve) => {
    const parent = process.ppid;
    parentWatch = setInterval(() => {
      if (process.ppid !== parent) resolve(`parent process ${parent} exited`);
    }, PARENT_CHECK_INTERVAL_MS);
  });
  const brokerDied = stack.kafkaMock?.exited.then(
    (exit) => `the Kafka mock exited on its own (${JSON.stringify(exit)})`,
  );
  const reason = await Promise.race([signalled, parentGone, ...(brokerDied ? [brokerDied] : [])]);
  clearInterval(parentWatch);
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
  // A second Ctrl-C must not be swallowed while stopping takes its time; the children stop
  // on their own once this process is gone (their stdin closes).
  const forceExit = () => process.exit(130);
  process.once('SIGINT', forceExit).once('SIGTERM', forceExit);
  logger.info({ reason }, 'stopping devstack');
  try {
    await stack.stop();
  } finally {
    process.off('SIGINT', forceExit).off('SIGTERM', forceExit);
  }
  logger.info('devstack stopped');
  if (reason.startsWith('the Kafka mock')) {
    throw new RnnflowError('DEVSTACK_BROKER_DIED', `devstack stopped: ${reason}`);
  }
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
