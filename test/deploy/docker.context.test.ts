import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Ignore } from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import { ROOT, read } from './deploy.assets.js';

/** Tracked files as a fresh clone has them, and which of them `.dockerignore` sends to the build. */
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((path) => path !== '');
// CommonJS (`module.exports = factory`) whose types claim an ES default export: load it as it is.
const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as () => Ignore;
const ignore = dockerignore().add(read('.dockerignore').split('\n'));
const context = new Set(ignore.filter(tracked));

describe('Docker build context (.dockerignore)', () => {
  it('holds every manifest npm ci needs, the lock and the CLI entry point', () => {
    const manifests = tracked.filter((path) => /(^|\/)package(-lock)?\.json$/.test(path));
    expect(manifests).toEqual(expect.arrayContaining(['package-lock.json', 'test/package.json']));
    expect(manifests.filter((path) => !context.has(path))).toEqual([]);
    expect(context.has('services/cli/bin/rnnflow.js')).toBe(true);
  });

  it('holds every runtime source of the libs and services', () => {
    const sources = tracked.filter(
      (path) => /^(libs|services)\/[^/]+\/src\/.+\.ts$/.test(path) && !path.endsWith('.spec.ts'),
    );
    expect(sources.length).toBeGreaterThan(20);
    expect(sources.filter((path) => !context.has(path))).toEqual([]);
  });

  it('leaves out tests, specs, benchmarks and deployment files', () => {
    const leaked = [...context].filter(
      (path) =>
        (path.startsWith('test/') && path !== 'test/package.json') ||
        path.endsWith('.spec.ts') ||
        // Benchmark scripts of the libs stay out; `services/bench` is the CLI's `bench` command.
        /^libs\/[^/]+\/bench\//.test(path) ||
        path.startsWith('deploy/'),
    );
    expect(leaked).toEqual([]);
  });
});
