import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startDevStack } from '@rnnflow/devstack';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { KafkaClients } from '../support/kafka.js';
import { readLines } from '../support/lines.js';
import { descendants, waitUntilGone } from '../support/processes.js';
import { stackUnavailable } from '../support/stack.js';

const RUN = randomUUID().slice(0, 8);
const CHILD_SCRIPT = fileURLToPath(new URL('../support/dev-stack.child.ts', import.meta.url));

async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

async function partitionCount(brokers: string[], topic: string): Promise<number> {
  const admin = new KafkaClients(brokers, `devstack-admin-${RUN}`).kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0].partitions.length;
  } finally {
    await admin.disconnect();
  }
}

describe('embedded dev stack', () => {
  it('serves Kafka and Redis, and leaves no process behind once stopped', async () => {
    const topic = `devstack-stack-${RUN}`;
    const stack = await startDevStack({ brokers: 2, topics: [{ name: topic, partitions: 3 }] });
    const started = descendants(process.pid);
    try {
      expect(started.map((p) => p.pid)).toContain(stack.kafkaMock?.pid);
      expect(started.map((p) => p.comm)).toContain('redis-server');
      expect(stack.kafkaBrokers).toHaveLength(2);
      expect(await ping(stack.redisUrl)).toBe('PONG');
      expect(await partitionCount(stack.kafkaBrokers, topic)).toBe(3);
    } finally {
      await stack.stop();
    }
    await stack.stop(); // a second stop is harmless
    expect(
      await waitUntilGone(
        started.map((p) => p.pid),
        5000,
      ),
    ).toEqual([]);
  });

  it('stops the part that started when the other fails', async () => {
    const before = new Set(descendants(process.pid).map((p) => p.pid));
    await expect(startDevStack({ brokers: 99 })).rejects.toMatchObject({
      code: 'DEVSTACK_KAFKA_MOCK_START',
    });
    const left = descendants(process.pid).filter((p) => !before.has(p.pid));
    expect(
      await waitUntilGone(
        left.map((p) => p.pid),
        5000,
      ),
    ).toEqual([]);
  });

  it('takes its broker and Redis down with it when its parent is SIGKILLed', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [line] = await readLines(parent, 1, 30_000);
    const { kafkaPid, redisUrl } = JSON.parse(line) as { kafkaPid: number; redisUrl: string };
    const stack = descendants(parent.pid!);
    expect(stack.map((p) => p.pid)).toContain(kafkaPid);
    expect(stack.map((p) => p.comm)).toContain('redis-server');
    expect(await ping(redisUrl)).toBe('PONG');

    parent.kill('SIGKILL');
    await once(parent, 'exit');
    expect(
      await waitUntilGone(
        stack.map((p) => p.pid),
        5000,
      ),
    ).toEqual([]);
  });
});

const containersUnavailable = await stackUnavailable('containers');

describe.skipIf(containersUnavailable)('containers dev stack (Apache Kafka and Redis)', () => {
  it('creates the topics and answers PING, then stops', async () => {
    const topic = `devstack-containers-${RUN}`;
    const stack = await startDevStack({
      kind: 'containers',
      topics: [{ name: topic, partitions: 3 }],
    });
    try {
      expect(await ping(stack.redisUrl)).toBe('PONG');
      expect(await partitionCount(stack.kafkaBrokers, topic)).toBe(3);
    } finally {
      await stack.stop();
    }
  }, 240_000);
});
