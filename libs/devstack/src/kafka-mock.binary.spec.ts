import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureKafkaMockBinary } from './kafka-mock.binary.js';
import { KafkaMockBuildError } from './kafka-mock.errors.js';

describe('ensureKafkaMockBinary', () => {
  const directories: string[] = [];
  afterEach(async () => {
    await Promise.all(
      directories.splice(0).map((dir) => rm(dir, { recursive: true, force: true })),
    );
  });

  it('names the Debian packages to install when there is no C compiler', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rnnflow-kafka-mock-'));
    directories.push(cacheDir);
    const build = ensureKafkaMockBinary({ cacheDir, compiler: 'rnnflow-no-such-cc' });
    await expect(build).rejects.toBeInstanceOf(KafkaMockBuildError);
    await expect(build).rejects.toThrow(
      /"rnnflow-no-such-cc" was not found.*librdkafka-dev.*build-essential.*pkg-config.*docker-compose\.yml/s,
    );
    await expect(build).rejects.toMatchObject({ code: 'DEVSTACK_KAFKA_MOCK_BUILD' });
  });
});
