import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/rnnflow.process.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CELL_FIELDS = ['finalMse', 'stepsToMse005', 'params', 'trainSeconds', 'stepKeysPerSecond'];

describe('npx rnnflow experiment adding', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rnnflow-adding-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a short sweep writes horizon.png, a chart per length and results.json with one entry per (length, cell)', async () => {
    const out = path.join(dir, 'tiny');
    const args = ['--seq-len', '8,4', '--units', '4', '--steps', '20', '--eval-every', '10'];
    const { code, stdout, stderr } = await runCli(
      ['experiment', 'adding', ...args, '--seed', '3', '--out', out],
      {},
    );
    expect(code, stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'adding-T4.png',
      'adding-T8.png',
      'horizon.png',
      'results.json',
    ]);

    for (const file of ['horizon.png', 'adding-T4.png']) {
      const png = await readFile(path.join(out, file));
      expect(png.subarray(0, 8), file).toEqual(PNG_SIGNATURE);
      expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1440, 800]);
    }

    const results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(results.seqLens).toEqual([4, 8]);
    expect(results.baselineMse).toBeCloseTo(1 / 6, 12);
    expect(results).toMatchObject({ units: 4, steps: 20, learningRate: 0.005, clipNorm: 1 });
    expect(
      results.entries.map(
        (entry: { seqLen: number; cell: string }) => `${entry.seqLen}/${entry.cell}`,
      ),
    ).toEqual(['4/lstm', '4/gru', '4/rnn', '8/lstm', '8/gru', '8/rnn']);
    for (const entry of results.entries as Record<string, unknown>[]) {
      const name = `${entry.seqLen}/${entry.cell}`;
      for (const field of CELL_FIELDS) expect(entry, `${name}.${field}`).toHaveProperty(field);
      expect(entry.finalMse).toBeGreaterThan(0);
      expect(entry.trainSeconds).toBeGreaterThan(0);
      expect(entry.stepKeysPerSecond).toBeGreaterThan(1000);
      expect(entry.curve).toHaveLength(2);
      expect(entry.stepsToMse005 === null || typeof entry.stepsToMse005 === 'number').toBe(true);
    }
    // One recurrent layer of 4 units on 2 inputs, gates × (2·4 + 4·4 + 4), plus a 4 → 1 head:
    // GRU has 3/4 of LSTM's recurrent weights, at every length.
    const params = (results.entries as { cell: string; params: number }[]).map((e) => e.params);
    expect(params).toEqual([4 * 28 + 5, 3 * 28 + 5, 28 + 5, 4 * 28 + 5, 3 * 28 + 5, 28 + 5]);

    // The same table on stdout, progress on stderr.
    const rows = stdout.split('\n').filter((line) => line.startsWith('| '));
    expect(rows).toHaveLength(8);
    expect(rows[2]).toMatch(/^\| 4 \| LSTM \| 117 \| /);
    expect(stderr).toContain('T=8 lstm step 20/20 validation MSE');
  }, 120_000);

  it('is deterministic under --seed', async () => {
    const args = ['experiment', 'adding', '--seq-len', '6,3', '--units', '3', '--steps', '5'];
    const runs = [];
    for (const name of ['a', 'b']) {
      const out = path.join(dir, name);
      const { code, stderr } = await runCli([...args, '--cells', 'gru', '--out', out], {});
      expect(code, stderr).toBe(0);
      runs.push(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    }
    const outcome = (run: { entries: { finalMse: number; curve: unknown }[] }) =>
      run.entries.map((entry) => [entry.finalMse, entry.curve]);
    expect(outcome(runs[1])).toEqual(outcome(runs[0]));
  }, 120_000);

  it('refuses a bad flag with a message naming it, before training anything', async () => {
    const out = path.join(dir, 'refused');
    const { code, stderr } = await runCli(
      ['experiment', 'adding', '--cells', 'lstm,lstm2', '--out', out],
      {},
    );
    expect(code).toBe(1);
    expect(stderr).toContain('rnnflow: --cells takes a comma-separated list of lstm, gru, rnn');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});
