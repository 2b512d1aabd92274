import type { StartedTestContainer } from 'testcontainers';
import { ContainerRuntimeUnavailableError } from './containers.errors.js';
import { DevstackError } from './devstack.errors.js';
import { findFreePort } from './free-port.js';
import { validateTopics, type KafkaTopicSpec } from './kafka-topics.js';

/** The images of `docker-compose.yml`, so both ways of running real servers behave alike. */
const KAFKA_IMAGE = 'apache/kafka:3.9.1';
const REDIS_IMAGE = 'redis:7.2';

/** Whether a container engine answers, and if not, testcontainers' reason in one line. */
export type ContainerRuntimeStatus = { available: true } | { available: false; reason: string };

const STARTUP_TIMEOUT_MS = 120_000;
/** Listener for tools run inside the container; the host listener's address is not theirs. */
const INTERNAL_PORT = 9094;

/**
 * Asks testcontainers for a working container runtime. Without one it fails in milliseconds,
 * which lets callers (tests, the CLI) say why they skip instead of timing out.
 */
export async function checkContainerRuntime(): Promise<ContainerRuntimeStatus> {
  try {
    // Loaded on demand: the embedded stack must not pay for (or depend on) testcontainers, a
    // development dependency that production installs (npm ci --omit=dev) leave out.
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return { available: true };
  } catch (error) {
    return { available: false, reason: firstLine(error) };
  }
}

/** A real single-node Apache Kafka (KRaft), reachable from the host. */
export interface KafkaContainerHandle {
  bootstrapServers: string[];
  stop(): Promise<void>;
}

/**
 * Starts Apache Kafka in a container and creates `topics`. The host port is chosen first so
 * the broker can advertise it (clients connect to the address metadata gives them); a tool
 * run inside the container uses a second listener advertised as its own localhost.
 * Throws {@link ContainerRuntimeUnavailableError} without a container engine.
 */
export async function startKafkaContainer(
  options: { topics?: readonly KafkaTopicSpec[]; image?: string } = {},
): Promise<KafkaContainerHandle> {
  const topics = validateTopics(options.topics ?? []);
  const { GenericContainer, Wait, host } = await requireRuntime();
  const hostPort = await findFreePort();
  const bootstrap = `${host}:${hostPort}`;
  const container = await new GenericContainer(options.image ?? KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment(kraftSingleNode(bootstrap))
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  try {
    for (const topic of topics) await createTopicInside(container, topic);
  } catch (error) {
    await container.stop();
    throw error;
  }
  return {
    bootstrapServers: [bootstrap],
    stop: async () => {
      await container.stop();
    },
  };
}

/** Starts Redis in a container; resolves once it accepts connections. */
export async function startRedisContainer(
  options: { image?: string } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const { GenericContainer, Wait } = await requireRuntime();
  const container = await new GenericContainer(options.image ?? REDIS_IMAGE)
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  return {
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    stop: async () => {
      await container.stop();
    },
  };
}

/** testcontainers, and the host on which the runtime publishes ports (not always localhost). */
async function requireRuntime(): Promise<typeof import('testcontainers') & { host: string }> {
  const testcontainers = await import('testcontainers');
  try {
    const client = await testcontainers.getContainerRuntimeClient();
    return { ...testcontainers, host: client.info.containerRuntime.host };
  } catch (error) {
    throw new ContainerRuntimeUnavailableError(firstLine(error), { cause: error });
  }
}

/** Environment of the apache/kafka image for one node acting as broker and controller. */
function kraftSingleNode(bootstrap: string): Record<string, string> {
  return {
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: `PLAINTEXT://:9092,CONTROLLER://:9093,INTERNAL://:${INTERNAL_PORT}`,
    KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${bootstrap},INTERNAL://localhost:${INTERNAL_PORT}`,
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:
      'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  };
}

async function createTopicInside(
  container: StartedTestContainer,
  topic: KafkaTopicSpec,
): Promise<void> {
  const result = await container.exec([
    '/opt/kafka/bin/kafka-topics.sh',
    '--bootstrap-server',
    `localhost:${INTERNAL_PORT}`,
    '--create',
    '--if-not-exists',
    '--topic',
    topic.name,
    '--partitions',
    String(topic.partitions),
    '--replication-factor',
    '1',
  ]);
  if (result.exitCode !== 0) {
    throw new DevstackError(
      'DEVSTACK_KAFKA_TOPIC',
      `cannot create topic ${topic.name} in the Kafka container: ${result.output.trim()}`,
    );
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
