import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelArchitecture } from './architecture.js';
import { ModelFormatError } from './cells.errors.js';
import { MAX_MODEL_JSON_BYTES, loadTfjsDirectory } from './tfjs.directory.js';
import { saveTfjsDirectory } from './tfjs.export.js';
import { SHARD_FILE } from './tfjs.format.js';
import { randomModel } from './testing/model.fixture.js';

// Every hostile folder must be refused quickly: a FIFO or /dev/zero read would hang or grow.
const QUICK_MS = 5_000;

type Manifest = Record<string, unknown> & { weightsManifest: Record<string, unknown>[] };

/** One LSTM layer and a head: a model tfjs-layers can load too. */
const ARCHITECTURE: ModelArchitecture = {
  inputSize: 3,
  layers: [
    { type: 'lstm', units: 4, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true },
  ],
  head: { units: 2, activation: 'linear', useBias: true },
};
const model = () => randomModel(ARCHITECTURE);

describe('loadTfjsDirectory on folders from anyone', () => {
  let root: string;
  let count = 0;
  let base: Manifest;
  let weights: Buffer;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rnnflow-hostile-'));
    const valid = path.join(root, 'valid');
    await saveTfjsDirectory(model(), valid);
    base = JSON.parse(await readFile(path.join(valid, 'model.json'), 'utf8')) as Manifest;
    weights = await readFile(path.join(valid, SHARD_FILE));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** A fresh model folder holding `manifest` (default: the valid one) and, unless told, the shard. */
  async function folder(
    edit: (manifest: Manifest) => unknown = (m) => m,
    options: { shard?: boolean } = {},
  ): Promise<string> {
    const dir = path.join(root, `case-${(count += 1)}`);
    await mkdir(dir);
    const manifest = structuredClone(base);
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(edit(manifest)));
    if (options.shard !== false) await writeFile(path.join(dir, SHARD_FILE), weights);
    return dir;
  }

  const withPaths = (paths: unknown) => (manifest: Manifest) => {
    manifest.weightsManifest[0].paths = paths;
    return manifest;
  };

  async function refusal(dir: string): Promise<ModelFormatError> {
    const started = performance.now();
    const error: unknown = await loadTfjsDirectory(dir).then(
      () => new Error('the folder was imported'),
      (e: unknown) => e,
    );
    expect(performance.now() - started).toBeLessThan(QUICK_MS);
    expect(error).toBeInstanceOf(ModelFormatError);
    return error as ModelFormatError;
  }

  it('imports a valid folder, and a weight file linked from inside the folder', async () => {
    expect((await loadTfjsDirectory(await folder())).fingerprint).toBe(model().fingerprint);
    const dir = await folder(withPaths(['link.bin']));
    await symlink(SHARD_FILE, path.join(dir, 'link.bin'));
    expect((await loadTfjsDirectory(dir)).fingerprint).toBe(model().fingerprint);
  });

  it('refuses a weight path that climbs out of the folder, without telling its size', async () => {
    await mkdir(path.join(root, 'outside'), { recursive: true });
    await writeFile(path.join(root, 'outside', 'secret.bin'), weights);
    const size = (await stat(path.join(root, 'outside', 'secret.bin'))).size;
    for (const escape of ['../outside/secret.bin', 'sub/../../outside/secret.bin']) {
      const error = await refusal(await folder(withPaths([escape])));
      expect(error.code).toBe('IMPORT_INVALID_MODEL');
      expect(error.message).toContain('leads outside the model folder');
      expect(error.message).toContain('weightsManifest[0].paths[0]');
      expect(error.message).not.toContain(String(size));
    }
  });

  it('refuses absolute weight paths and symbolic links that resolve outside the folder', async () => {
    const absolute = await refusal(
      await folder(withPaths([path.join(root, 'outside', 'secret.bin')])),
    );
    expect(absolute.message).toContain('leads outside the model folder');
    const linkedOut = await folder(withPaths(['weights.bin']));
    await symlink(path.join(root, 'outside', 'secret.bin'), path.join(linkedOut, 'weights.bin'));
    expect((await refusal(linkedOut)).message).toContain('leads outside the model folder');
    const zero = await folder(withPaths(['zero.bin']));
    await symlink('/dev/zero', path.join(zero, 'zero.bin'));
    expect((await refusal(zero)).message).toContain('leads outside the model folder');
  });

  it('refuses a FIFO as a weight file or as model.json instead of waiting on it', async () => {
    const dir = await folder(withPaths(['fifo.bin']));
    execFileSync('mkfifo', [path.join(dir, 'fifo.bin')]);
    const error = await refusal(dir);
    expect(error.code).toBe('IMPORT_IO');
    expect(error.message).toMatch(/fifo\.bin is not a regular file/);
    const json = path.join(root, `fifo-json-${(count += 1)}`);
    await mkdir(json);
    execFileSync('mkfifo', [path.join(json, 'model.json')]);
    expect((await refusal(json)).message).toMatch(/model\.json is not a regular file/);
  });

  it('refuses weight files larger or smaller than the manifest declares, before reading them', async () => {
    for (const bytes of [Buffer.concat([weights, Buffer.alloc(4)]), weights.subarray(4)]) {
      const dir = await folder(undefined, { shard: false });
      await writeFile(path.join(dir, SHARD_FILE), bytes);
      const error = await refusal(dir);
      expect(error.code).toBe('IMPORT_WEIGHTS');
      expect(error.message).toContain(
        `files hold ${bytes.length} bytes but its weights declare ${weights.length}`,
      );
    }
  });

  it('refuses a manifest declaring more weights than the registry can hold', async () => {
    const dir = await folder((manifest) => {
      const group = manifest.weightsManifest[0] as { weights: { shape: number[] }[] };
      group.weights[0].shape = [1 << 20, 1 << 10];
      return manifest;
    });
    expect((await refusal(dir)).message).toMatch(
      /declares 4\d+ bytes of weights; at most 536870912/,
    );
  });

  it('refuses a model.json over the cap, naming the cap', async () => {
    const dir = await folder((manifest) => ({
      ...manifest,
      padding: 'x'.repeat(MAX_MODEL_JSON_BYTES),
    }));
    const error = await refusal(dir);
    expect(error.code).toBe('IMPORT_INVALID_MODEL');
    expect(error.message).toContain(`may hold at most ${MAX_MODEL_JSON_BYTES}`);
  });

  const malformed: [string, (manifest: Manifest) => unknown, string][] = [
    ['a list', () => [], 'must hold a JSON object'],
    ['no topology', (m) => ({ ...m, modelTopology: null }), 'modelTopology: must be an object'],
    ['no manifest', (m) => ({ ...m, weightsManifest: {} }), 'weightsManifest: must be a list'],
    ['a null group', (m) => ({ ...m, weightsManifest: [null] }), 'weightsManifest[0]: must be'],
    ['paths not a list', withPaths('w.bin'), 'weightsManifest[0].paths: must be a list'],
    ['weights: null', (m) => setWeights(m, null), 'weightsManifest[0].weights: must be a list'],
    ['a null weight', (m) => setWeights(m, [null]), 'weightsManifest[0].weights[0]: must be'],
    ['shape a string', (m) => setSpec(m, { shape: '3' }), 'weights[0].shape: must be a list'],
    ['shape negative', (m) => setSpec(m, { shape: [-1, 2] }), 'weights[0].shape: must be a list'],
    ['name missing', (m) => setSpec(m, { name: undefined }), 'weights[0].name: must be'],
    ['dtype missing', (m) => setSpec(m, { dtype: 7 }), 'weights[0].dtype: must be a string'],
    ['metadata a string', (m) => ({ ...m, userDefinedMetadata: 'x' }), 'userDefinedMetadata'],
  ];

  it.each(malformed)('names the bad field of a manifest with %s', async (_, edit, field) => {
    const error = await refusal(await folder(edit));
    expect(error.code).toBe('IMPORT_INVALID_MODEL');
    expect(error.message).toContain(field);
  });

  it('refuses a model.json that is not JSON', async () => {
    const dir = await folder();
    await writeFile(path.join(dir, 'model.json'), '{"modelTopology": ');
    expect((await refusal(dir)).message).toMatch(/is not valid JSON/);
  });
});

function setWeights(manifest: Manifest, weights: unknown): Manifest {
  manifest.weightsManifest[0].weights = weights;
  return manifest;
}

function setSpec(manifest: Manifest, fields: Record<string, unknown>): Manifest {
  const group = manifest.weightsManifest[0] as { weights: Record<string, unknown>[] };
  group.weights[0] = { ...group.weights[0], ...fields };
  return manifest;
}
