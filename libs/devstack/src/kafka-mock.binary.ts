import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, constants, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KafkaMockBuildError } from './kafka-mock.errors.js';

const run = promisify(execFile);

/** The launcher's C source, kept in this repository. */
const KAFKA_MOCK_SOURCE = fileURLToPath(new URL('../native/kafka-mock.c', import.meta.url));

export interface KafkaMockBuildOptions {
  /** Where compiled launchers are kept; default `node_modules/.cache/rnnflow` of the workspace. */
  cacheDir?: string;
  /** C compiler command; default `cc`. */
  compiler?: string;
}

const builds = new Map<string, Promise<string>>();

/**
 * Returns the path of the compiled Kafka mock launcher, compiling it on first use.
 *
 * The binary is named after a hash of its source and of librdkafka's compile flags, so an
 * edit or a library upgrade rebuilds it and an unchanged one is reused across runs. It is
 * written under a temporary name and renamed into place, so concurrent first uses (two test
 * runs, a test and the CLI) never see a half-written file. Throws {@link KafkaMockBuildError}
 * naming the Debian packages to install when the toolchain or librdkafka-dev is missing.
 */
export function ensureKafkaMockBinary(options: KafkaMockBuildOptions = {}): Promise<string> {
  const key = `${options.cacheDir ?? ''}\0${options.compiler ?? ''}`;
  let build = builds.get(key);
  if (build === undefined) {
    build = buildOnce(options);
    builds.set(key, build);
    // A failed build is retried on the next call (the user may have installed the package).
    build.catch(() => builds.delete(key));
  }
  return build;
}

async function buildOnce(options: KafkaMockBuildOptions): Promise<string> {
  const compiler = options.compiler ?? 'cc';
  const [source, flags, cacheDir] = await Promise.all([
    readFile(KAFKA_MOCK_SOURCE, 'utf8'),
    rdkafkaFlags(),
    options.cacheDir ?? defaultCacheDir(),
  ]);
  const hash = createHash('sha256')
    .update(source)
    .update('\0')
    .update(flags.join(' '))
    .update('\0')
    .update(compiler)
    .digest('hex')
    .slice(0, 16);
  const binary = join(cacheDir, `kafka-mock-${hash}`);
  if (await isExecutable(binary)) return binary;
  await mkdir(cacheDir, { recursive: true });
  const partial = `${binary}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await compile(compiler, ['-O2', '-o', partial, KAFKA_MOCK_SOURCE, ...flags]);
    await rename(partial, binary);
  } finally {
    await rm(partial, { force: true });
  }
  return binary;
}

async function rdkafkaFlags(): Promise<string[]> {
  try {
    const { stdout } = await run('pkg-config', ['--cflags', '--libs', 'rdkafka']);
    return stdout.trim().split(/\s+/).filter(Boolean);
  } catch (error) {
    throw new KafkaMockBuildError(
      isMissingCommand(error)
        ? 'pkg-config is not installed'
        : 'pkg-config does not know rdkafka (librdkafka-dev is not installed)',
      { cause: error },
    );
  }
}

async function compile(compiler: string, args: string[]): Promise<void> {
  try {
    await run(compiler, args);
  } catch (error) {
    if (isMissingCommand(error)) {
      throw new KafkaMockBuildError(`no C compiler: "${compiler}" was not found`, { cause: error });
    }
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new KafkaMockBuildError(`${compiler} failed: ${lastLines(stderr, 10)}`, { cause: error });
  }
}

/** The nearest `node_modules` above this lib, so the cache lives and dies with the install. */
async function defaultCacheDir(): Promise<string> {
  let directory = dirname(KAFKA_MOCK_SOURCE);
  for (;;) {
    const candidate = join(directory, 'node_modules');
    if (
      await stat(candidate).then(
        (info) => info.isDirectory(),
        () => false,
      )
    ) {
      return join(candidate, '.cache', 'rnnflow');
    }
    const parent = dirname(directory);
    if (parent === directory) return join(tmpdir(), 'rnnflow-cache');
    directory = parent;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

function isMissingCommand(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
