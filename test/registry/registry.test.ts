import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import {
  startRedis,
  startRedisCluster,
  type RedisClusterHandle,
  type RedisHandle,
} from '@rnnflow/devstack';
import type { RedisConnection } from '@rnnflow/redis';
import { ModelRegistry, RegistryError, watchActivations } from '@rnnflow/registry';

const targets = [
  {
    name: 'single Redis',
    start: async () => {
      const server: RedisHandle = await startRedis();
      return { connection: new Redis(server.url) as RedisConnection, stop: () => server.stop() };
    },
  },
  {
    name: 'Redis Cluster',
    start: async () => {
      const cluster: RedisClusterHandle = await startRedisCluster({ masters: 3 });
      const startup = cluster.nodes.map((node) => ({
        host: '127.0.0.1',
        port: Number(node.split(':')[1]),
      }));
      return { connection: new Cluster(startup) as RedisConnection, stop: () => cluster.stop() };
    },
  },
];

const details = { source: 'import' as const, fingerprint: 'f1' };

describe.each(targets)('model registry on $name', (target) => {
  let connection: RedisConnection;
  let stop: () => Promise<void>;
  let model: string;

  beforeAll(async () => {
    ({ connection, stop } = await target.start());
  });
  afterAll(async () => {
    connection.disconnect();
    await stop();
  });

  const fresh = () => {
    model = `m-${randomUUID().slice(0, 8)}`;
    return model;
  };

  it('numbers versions 1, 2, 3 and keeps artefact bytes and metadata', async () => {
    const registry = new ModelRegistry(connection, { now: () => 1234 });
    fresh();
    const bytes = Uint8Array.from([0, 255, 1, 2, 128]);
    const first = await registry.publish(model, bytes, details);
    const second = await registry.publish(model, Uint8Array.from([9]), {
      ...details,
      source: 'trainer',
      parentVersion: 1,
      validationLoss: 0.5,
    });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(await registry.artefact(model, 1)).toEqual(Buffer.from(bytes));
    expect(await registry.info(model, 2)).toEqual({
      model,
      version: 2,
      createdAt: 1234,
      sizeBytes: 1,
      source: 'trainer',
      fingerprint: 'f1',
      parentVersion: 1,
      validationLoss: 0.5,
    });
    expect((await registry.list(model)).map((info) => info.version)).toEqual([1, 2]);
    expect(await registry.activeVersion(model)).toBeNull();
    await expect(registry.requireActiveVersion(model)).rejects.toThrow(
      /no active version: import one/,
    );
  });

  it('activates, refuses unknown versions, and rolls back through history', async () => {
    const registry = new ModelRegistry(connection);
    fresh();
    for (let index = 0; index < 3; index += 1)
      await registry.publish(model, Uint8Array.from([index]), details);
    await expect(registry.activate(model, 7)).rejects.toMatchObject({
      code: 'REGISTRY_UNKNOWN_VERSION',
    });
    expect(await registry.activate(model, 1)).toBeNull();
    expect(await registry.activate(model, 3)).toBe(1);
    expect(await registry.activate(model, 2)).toBe(3);
    expect(await registry.rollback(model)).toBe(3);
    expect(await registry.rollback(model)).toBe(1);
    expect(await registry.activeVersion(model)).toBe(1);
    await expect(registry.rollback(model)).rejects.toBeInstanceOf(RegistryError);
  });

  it('keeps only the newest versions, but never the active one', async () => {
    const registry = new ModelRegistry(connection, { retention: 2 });
    fresh();
    await registry.publish(model, Uint8Array.from([1]), details, { activate: true });
    for (let index = 0; index < 4; index += 1)
      await registry.publish(model, Uint8Array.from([index]), details);
    expect((await registry.list(model)).map((info) => info.version)).toEqual([1, 4, 5]);
    await expect(registry.artefact(model, 2)).rejects.toMatchObject({
      code: 'REGISTRY_UNKNOWN_VERSION',
    });
  });

  it('refuses model names that could escape their keys', async () => {
    const registry = new ModelRegistry(connection);
    await expect(registry.publish('a}b', Uint8Array.from([1]), details)).rejects.toMatchObject({
      code: 'REGISTRY_BAD_MODEL_NAME',
    });
  });

  it('reports each activation to a watcher once, through pub/sub well before the poll', async () => {
    const registry = new ModelRegistry(connection);
    fresh();
    await registry.publish(model, Uint8Array.from([1]), details, { activate: true });
    await registry.publish(model, Uint8Array.from([2]), details);
    const seen: number[] = [];
    const watcher = await watchActivations(registry, model, (version) => seen.push(version), {
      currentVersion: 1,
      pollMs: 60_000,
    });
    try {
      const started = Date.now();
      await registry.activate(model, 2);
      await expect.poll(() => seen, { timeout: 2000, interval: 10 }).toEqual([2]);
      expect(Date.now() - started).toBeLessThan(1000);
      await registry.rollback(model);
      await expect.poll(() => seen, { timeout: 2000, interval: 10 }).toEqual([2, 1]);
    } finally {
      await watcher.stop();
    }
  });

  it('finds an activation by polling when no message arrives', async () => {
    const registry = new ModelRegistry(connection);
    fresh();
    await registry.publish(model, Uint8Array.from([1]), details);
    const seen: number[] = [];
    const watcher = await watchActivations(registry, model, (version) => seen.push(version), {
      currentVersion: null,
      pollMs: 100,
    });
    try {
      // Set the pointer behind the registry's back: no message is published.
      await connection.set(`rnnflow:registry:{${model}}:active`, '1');
      await expect.poll(() => seen, { timeout: 2000, interval: 20 }).toEqual([1]);
    } finally {
      await watcher.stop();
    }
  });
});
