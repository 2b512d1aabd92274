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

  it('a tiny run writes adding.png and results.json with every documented field', async () => {
    const out = path.join(dir, 'tiny');
    const args = ['--seq-len', '8', '--units', '4', '--steps', '20', '--eval-every', '10'];
    const { code, stdout, stderr } = await runCli(
      ['experiment', 'adding', ...args, '--seed', '3', '--out', out],
      {},
    );
    expect(code, stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['adding.png', 'results.json']);

    const png = await readFile(path.join(out, 'adding.png'));
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1440, 800]);

    const results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(results.seqLen).toBe(8);
    expect(results.baselineMse).toBeCloseTo(1 / 6, 12);
    expect(Object.keys(results.cells)).toEqual(['lstm', 'gru', 'rnn']);
    for (const [cell, summary] of Object.entries<Record<string, unknown>>(results.cells)) {
      for (const field of CELL_FIELDS) expect(summary, `${cell}.${field}`).toHaveProperty(field);
      expect(summary.finalMse).toBeGreaterThan(0);
      expect(summary.trainSeconds).toBeGreaterThan(0);
      expect(summary.stepKeysPerSecond).toBeGreaterThan(1000);
      expect(summary.stepsToMse005 === null || typeof summary.stepsToMse005 === 'number').toBe(
        true,
      );
    }
    // One recurrent layer of 4 units on 2 inputs, gates × (2·4 + 4·4 + 4), plus a 4 → 1 head:
    // GRU has 3/4 of LSTM's recurrent weights.
    expect(results.cells.lstm.params).toBe(4 * 28 + 5);
    expect(results.cells.gru.params).toBe(3 * 28 + 5);
    expect(results.cells.rnn.params).toBe(28 + 5);

    // The same table on stdout, progress on stderr.
    const rows = stdout.split('\n').filter((line) => line.startsWith('| '));
    expect(rows).toHaveLength(5);
    expect(rows[2]).toMatch(/^\| LSTM \| 117 \| /);
    expect(stderr).toContain('lstm step 20/20 validation MSE');
  }, 120_000);

  it('is deterministic under --seed', async () => {
    const args = ['experiment', 'adding', '--seq-len', '6', '--units', '3', '--steps', '5'];
    const runs = [];
    for (const name of ['a', 'b']) {
      const out = path.join(dir, name);
      const { code, stderr } = await runCli([...args, '--cells', 'gru', '--out', out], {});
      expect(code, stderr).toBe(0);
      runs.push(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    }
    expect(runs[1].cells.gru.finalMse).toBe(runs[0].cells.gru.finalMse);
    expect(runs[1].cells.gru.curve).toEqual(runs[0].cells.gru.curve);
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
