import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort, startRedis, type RedisHandle } from '@rnnflow/devstack';
import { StateStore, StateUnavailableError, createRedisConnection } from '@rnnflow/state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateAt, storeOptions } from './state.fixtures.js';

const run = promisify(execFile);

// A redis-server with a TLS port next to its plain one (the plain one is what devstack pings),
// and a throw-away self-signed certificate for 127.0.0.1.
let directory: string;
let server: RedisHandle;
let tlsPort: number;
let ca: Buffer;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'rnnflow-state-tls-'));
  const cert = join(directory, 'cert.pem');
  const key = join(directory, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ]); // prettier-ignore
  ca = await readFile(cert);
  tlsPort = await findFreePort();
  server = await startRedis({
    extraArgs: [
      '--tls-port', String(tlsPort), '--tls-cert-file', cert, '--tls-key-file', key,
      '--tls-ca-cert-file', cert, '--tls-auth-clients', 'no',
    ], // prettier-ignore
  });
});

afterAll(async () => {
  await server?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('redis connection over TLS', () => {
  it('reads and writes states through a rediss:// URL', async () => {
    const redis = await createRedisConnection({
      url: `rediss://127.0.0.1:${tlsPort}`,
      tls: { ca },
    });
    try {
      const store = new StateStore(storeOptions(redis));
      const scope = {
        topic: 't',
        partition: 0,
        epoch: await store.acquireEpoch({ topic: 't', partition: 0 }),
      };
      expect((await store.writeStates(scope, [{ key: 'a', record: stateAt(1) }])).applied).toBe(1);
      expect(await store.readStates(scope, ['a'])).toEqual([
        { status: 'found', record: stateAt(1), source: 'stable' },
      ]);
    } finally {
      redis.disconnect();
    }
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    await expect(
      createRedisConnection({ url: `rediss://127.0.0.1:${tlsPort}` }),
    ).rejects.toBeInstanceOf(StateUnavailableError);
  });

  it('refuses TLS settings on a plain redis:// URL instead of ignoring them', async () => {
    await expect(createRedisConnection({ url: server.url, tls: { ca } })).rejects.toThrow(
      /rediss:\/\//,
    );
  });
});
