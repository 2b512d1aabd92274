import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ensureKafkaMockBinary, type KafkaMockBuildOptions } from './kafka-mock.binary.js';
import { KafkaMockControl } from './kafka-mock.control.js';
import { KafkaMockCommandError, KafkaMockStartError } from './kafka-mock.errors.js';
import { validateTopic, validateTopics, type KafkaTopicSpec } from './kafka-topics.js';

export interface KafkaMockOptions {
  /** Broker count, 1–16; ids run from 1 to `brokers`. Default 3. */
  brokers?: number;
  /** Topics created before the cluster reports ready. Others are auto-created with 4 partitions. */
  topics?: readonly KafkaTopicSpec[];
  /** How long the launcher may take to report ready, in ms (compiling is not counted). Default 15000. */
  startTimeoutMs?: number;
  /** Receives each line the launcher writes to stderr (librdkafka logs). */
  onLog?: (line: string) => void;
  build?: KafkaMockBuildOptions;
}

/** Exit of a process: its code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running mock cluster. Broker ids are 1…`brokers`; `-1` means every broker. */
export interface KafkaMockHandle {
  /** `host:port` of every broker, for kafkajs `brokers` or `KAFKA_BROKERS`. */
  readonly bootstrapServers: string[];
  /** Process id of the launcher (the brokers are threads inside it). */
  readonly pid: number;
  /** Resolves when the launcher has exited, for whatever reason. */
  readonly exited: Promise<ProcessExit>;
  /** Disconnects the broker and refuses new connections; leaders do not move. */
  setBrokerDown(brokerId: number): Promise<void>;
  setBrokerUp(brokerId: number): Promise<void>;
  /** Delays every response of the broker by `ms` milliseconds (0 removes the delay). */
  setRtt(brokerId: number, ms: number): Promise<void>;
  /**
   * Makes the next `errorCodes.length` requests of Kafka API `apiKey` (e.g. 0 = Produce) fail
   * with these Kafka error codes, in order. Code -195 (librdkafka `_TRANSPORT`) disconnects.
   */
  pushRequestErrors(apiKey: number, errorCodes: readonly number[]): Promise<void>;
  /** Moves the partition's leadership to `brokerId` (-1: leaderless). */
  setPartitionLeader(topic: string, partition: number, brokerId: number): Promise<void>;
  createTopic(name: string, partitions: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5000); resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const MAX_BROKERS = 16;
const STDERR_LINES_KEPT = 40;

/**
 * Starts librdkafka's mock cluster in a child process (compiling the launcher on first use)
 * and resolves once its brokers accept connections. The launcher exits on `stop()`, and on its
 * own when this process dies, however it dies.
 */
export async function startKafkaMock(options: KafkaMockOptions = {}): Promise<KafkaMockHandle> {
  const brokers = options.brokers ?? 3;
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > MAX_BROKERS) {
    throw new KafkaMockStartError(`broker count must be 1-${MAX_BROKERS}, got ${brokers}`);
  }
  const topics = validateTopics(options.topics ?? []);
  const binary = await ensureKafkaMockBinary(options.build);
  const args = ['--brokers', String(brokers)];
  for (const topic of topics) args.push('--topic', `${topic.name}:${topic.partitions}`);

  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr = collectStderr(child, options.onLog);
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as ProcessExit);
  // After the launcher exits, a late write hits a closed pipe; its commands fail through `control`.
  child.stdin.on('error', () => {});
  // A failed spawn or kill: kept for the start error's message rather than crashing the parent.
  child.on('error', (error) => stderr.push(`spawn/kill error: ${error.message}`));
  const control = new KafkaMockControl((line) => child.stdin.write(`${line}\n`));
  void exited.then((exit) => control.close(`the Kafka mock has exited (${describeExit(exit)})`));

  try {
    const bootstrap = await waitForReady(child, control, exited, options.startTimeoutMs ?? 15_000);
    return createHandle(child, control, exited, bootstrap.split(','));
  } catch (error) {
    await stopProcess(child, exited, 1000);
    const log = stderr.join('\n');
    throw new KafkaMockStartError(
      `${error instanceof Error ? error.message : String(error)}${log ? `; its stderr:\n${log}` : ''}`,
      { cause: error },
    );
  }
}

async function waitForReady(
  child: ChildProcessWithoutNullStreams,
  control: KafkaMockControl,
  exited: Promise<ProcessExit>,
  timeoutMs: number,
): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      let ready = false;
      timer = setTimeout(
        () => reject(new Error(`the Kafka mock did not report ready within ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.once('error', reject);
      void exited.then((exit) =>
        reject(new Error(`the Kafka mock exited while starting (${describeExit(exit)})`)),
      );
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (ready) return control.receive(line);
        const match = /^READY (\S+)$/.exec(line);
        if (match === null) return;
        ready = true;
        resolve(match[1]);
      });
    });
  } finally {
    // Also on failure: a pending timer would keep a CLI that is exiting alive for its duration.
    clearTimeout(timer);
  }
}

function createHandle(
  child: ChildProcessWithoutNullStreams,
  control: KafkaMockControl,
  exited: Promise<ProcessExit>,
  bootstrapServers: string[],
): KafkaMockHandle {
  // Async so that a bad argument rejects like a refused command instead of throwing.
  return {
    bootstrapServers,
    pid: child.pid as number,
    exited,
    setBrokerDown: async (brokerId) => control.send(`broker-down ${brokerIdArg(brokerId)}`),
    setBrokerUp: async (brokerId) => control.send(`broker-up ${brokerIdArg(brokerId)}`),
    setRtt: async (brokerId, ms) =>
      control.send(`rtt ${brokerIdArg(brokerId)} ${wholeArg('rtt', 'ms', ms, 0)}`),
    pushRequestErrors: async (apiKey, errorCodes) => {
      const codes = errorCodes.map((code) =>
        wholeArg('request-errors', 'error code', code, Number.MIN_SAFE_INTEGER),
      );
      if (codes.length === 0) throw new KafkaMockCommandError('request-errors', 'no error codes');
      return control.send(
        `request-errors ${wholeArg('request-errors', 'apiKey', apiKey, 0)} ${codes.join(' ')}`,
      );
    },
    setPartitionLeader: async (topic, partition, brokerId) => {
      validateTopic({ name: topic, partitions: 1 });
      const partitionArg = wholeArg('leader', 'partition', partition, 0);
      return control.send(`leader ${topic} ${partitionArg} ${brokerIdArg(brokerId)}`);
    },
    createTopic: async (name, partitions) => {
      validateTopic({ name, partitions });
      return control.send(`create-topic ${name} ${partitions}`);
    },
    stop: (graceMs = 5000) => stopProcess(child, exited, graceMs),
  };
}

async function stopProcess(
  child: ChildProcessWithoutNullStreams,
  exited: Promise<ProcessExit>,
  graceMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Keeps the last lines of stderr for error messages, and passes each to `onLog`. */
function collectStderr(
  child: ChildProcessWithoutNullStreams,
  onLog: ((line: string) => void) | undefined,
): string[] {
  const kept: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    kept.push(line);
    if (kept.length > STDERR_LINES_KEPT) kept.shift();
    onLog?.(line);
  });
  return kept;
}

function brokerIdArg(brokerId: number): string {
  return wholeArg('broker', 'broker id', brokerId, -1);
}

function wholeArg(command: string, name: string, value: number, min: number): string {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new KafkaMockCommandError(
      command,
      `${name} must be a whole number >= ${min}, got ${value}`,
    );
  }
  return String(value);
}

function describeExit(exit: ProcessExit): string {
  return exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
}
