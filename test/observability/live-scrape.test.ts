import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, spawnTethered, type TetheredProcess } from '@rnnflow/devstack';
import { allPanels, metricNamesIn, read, readYaml, type Panel } from '../deploy/deploy.assets.js';
import {
  collectPredictions,
  makeSequences,
  PredictorHarness,
  produceSequences,
} from '../predictor/predictor.harness.js';
import type { ServiceProcess } from '../support/rnnflow.process.js';

const run = promisify(execFile);

/**
 * Series that move only in a scenario of their own, and the test that drives the predictor into
 * it and asserts them (a swap, a fenced partition, an eviction, a partition that must be read
 * again). Every other series the dashboard and alerts query must move in the run below.
 */
const MOVED_ELSEWHERE: Record<string, string> = {
  rnnflow_predictor_model_swaps_total: 'predictor/hot-swap.test.ts',
  rnnflow_predictor_errors_total: 'predictor/pipeline.test.ts',
  rnnflow_predictor_state_cache_evictions_total: 'predictor/pipeline.test.ts',
  rnnflow_predictor_unavailable_partitions: 'predictor/readiness.test.ts',
};

/** A histogram's family from one of its series' names. */
function familyOf(name: string): string {
  return name.replace(/_(bucket|sum|count)$/, '');
}

/** Name and value of every sample in Prometheus text. */
function parseSamples(text: string): { name: string; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0];
      return { name, value: Number(line.slice(line.lastIndexOf(' ') + 1)) };
    });
}

/** Every rnnflow_predictor_… series the dashboard and the alert rules query. */
function referencedPredictorSeries(): string[] {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/rnnflow.json')) as {
    panels: Panel[];
  };
  const rules = (
    readYaml('deploy/prometheus/rules/rnnflow.rules.yml') as {
      groups: { rules: { expr: string }[] }[];
    }
  ).groups.flatMap((group) => group.rules);
  const exprs = [
    ...allPanels(dashboard.panels).flatMap((panel) =>
      (panel.targets ?? []).map((target) => target.expr),
    ),
    ...rules.map((rule) => rule.expr),
  ];
  return [...new Set(exprs.flatMap(metricNamesIn))].filter((name) =>
    name.startsWith('rnnflow_predictor_'),
  );
}

describe('a running predictor as Prometheus sees it', () => {
  const harness = new PredictorHarness();
  let predictor: ServiceProcess;
  let prometheus: TetheredProcess | undefined;
  let directory: string;

  beforeAll(async () => {
    await harness.start({ partitions: 2 });
    directory = await mkdtemp(join(tmpdir(), 'rnnflow-prometheus-'));
    predictor = await harness.startPredictor({ RNNFLOW_LABEL_FEATURES: '0,1,2' });
    await produceSequences(harness, makeSequences(5, 6));
    const producer = harness.clients.producer();
    await producer.connect();
    await producer.send({
      topic: harness.topics.input,
      messages: [{ key: 'bad', value: 'not json' }],
    });
    await collectPredictions(harness, (_, count) => count === 30);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await harness.stop();
    await rm(directory, { recursive: true, force: true });
  });

  const scrape = async () =>
    (await fetch(`http://127.0.0.1:${predictor.metricsPort}/metrics`)).text();

  it('exposes text that promtool accepts, with every predictor series the dashboard and alerts query', async () => {
    // The lag gauge appears with the first lag poll, a few seconds after the partitions are assigned.
    await expect
      .poll(async () => (await scrape()).includes('rnnflow_predictor_consumer_lag_events{'), {
        timeout: 15_000,
      })
      .toBe(true);
    const text = await scrape();
    const checked = run('promtool', ['check', 'metrics']);
    checked.child.stdin!.end(text);
    await checked;
    // A family is exposed once declared; a labelled counter gets samples with its first event.
    const declared = new Set(
      text
        .split('\n')
        .filter((line) => line.startsWith('# TYPE '))
        .map((line) => line.split(' ')[2]),
    );
    expect(referencedPredictorSeries().filter((name) => !declared.has(familyOf(name)))).toEqual([]);
    expect(text).toMatch(
      /rnnflow_predictor_prediction_absolute_error_count\{[^}]*model_version="1"[^}]*\} [1-9]/,
    );
    // The alert on this gauge must stay quiet while /readyz says ready.
    expect((await fetch(`http://127.0.0.1:${predictor.metricsPort}/readyz`)).status).toBe(200);
    expect(text).toMatch(/^rnnflow_predictor_ready\{[^}]*\} 1$/m);
  });

  it('moves every predictor series the dashboard and alerts query, or a named test moves it', async () => {
    const samples = parseSamples(await scrape());
    // A counter or histogram moved once it counted something; a gauge once the code set it.
    const moved = (family: string) => {
      const values = samples
        .filter(({ name }) => name === family || name === `${family}_count`)
        .map(({ value }) => value);
      const counts =
        family.endsWith('_total') || samples.some(({ name }) => name === `${family}_count`);
      return values.length > 0 && (!counts || values.some((value) => value > 0));
    };
    const families = [...new Set(referencedPredictorSeries().map(familyOf))];
    const elsewhere = families.filter((family) => MOVED_ELSEWHERE[family] !== undefined);
    expect(families.filter((family) => !moved(family) && !elsewhere.includes(family))).toEqual([]);
    for (const family of elsewhere) {
      const file = MOVED_ELSEWHERE[family];
      expect(read(`test/${file}`), `${file} asserts ${family}`).toContain(`'${family}'`);
    }
  });

  it('is scraped by a real Prometheus server, which answers a query for consumed events', async () => {
    const port = await findFreePort();
    await writeFile(
      join(directory, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: predictor\n    static_configs:\n      - targets: ['127.0.0.1:${predictor.metricsPort}']\n`,
    );
    prometheus = spawnTethered('prometheus', [
      `--config.file=${join(directory, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    const consumed = async () => {
      try {
        const response = await fetch(
          `http://127.0.0.1:${port}/api/v1/query?query=sum(rnnflow_predictor_events_consumed_total)`,
        );
        const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
        return Number(body.data.result[0]?.value[1] ?? 0);
      } catch {
        return 0;
      }
    };
    await expect.poll(consumed, { timeout: 30_000, interval: 500 }).toBe(31);
  });
});
