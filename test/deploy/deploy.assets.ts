import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createMetrics,
  createPredictorMetrics,
  createSimulatorMetrics,
  createTrainerMetrics,
  predictorMetricNames,
  simulatorMetricNames,
  trainerMetricNames,
} from '@rnnflow/metrics';
import { parse, parseAllDocuments } from 'yaml';
import type { SettingSpecs } from '@rnnflow/config';
import { predictorSettings } from '@rnnflow/predictor';
import { simulatorSettings } from '@rnnflow/simulator';
import { trainerSettings } from '@rnnflow/trainer';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** YAML 1.1 merge keys (`<<: *anchor`) on, as Docker Compose reads them. */
export const readYaml = (path: string): unknown => parse(read(path), { merge: true });

/** Every document of a multi-document YAML file. */
export const readYamlDocuments = (path: string): Record<string, unknown>[] =>
  parseAllDocuments(read(path)).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS() as Record<string, unknown>;
  });

/** Every `rnnflow_…` name a PromQL expression refers to. */
export function metricNamesIn(expr: string): string[] {
  return [...new Set(expr.match(/\brnnflow_[a-zA-Z0-9_]+/g) ?? [])];
}

/**
 * The series names the three recorders of `@rnnflow/metrics` expose, from their exported name
 * lists; histograms (typed by an actual scrape) contribute their `_bucket`, `_sum` and `_count`
 * series instead of the bare name.
 */
export async function exposedSeriesNames(): Promise<Set<string>> {
  const metrics = createMetrics({ service: 'deploy-check', defaultMetrics: false });
  createPredictorMetrics(metrics);
  createTrainerMetrics(metrics);
  createSimulatorMetrics(metrics);
  const types = new Map<string, string>();
  for (const line of (await metrics.scrape()).split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match) types.set(match[1], match[2]);
  }
  const names = new Set<string>();
  for (const name of [...predictorMetricNames, ...trainerMetricNames, ...simulatorMetricNames]) {
    if (types.get(name) === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    } else {
      names.add(name);
    }
  }
  return names;
}

/**
 * The environment variables each `rnnflow` command reads, keyed by command (`predictor`,
 * `trainer`, `simulate`), from the settings schemas the services validate at start.
 */
export const SERVICE_ENV: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries({
    predictor: predictorSettings,
    trainer: trainerSettings,
    simulate: simulatorSettings,
  }).map(([command, specs]) => [
    command,
    new Set(Object.values(specs as SettingSpecs).map((spec) => spec.env)),
  ]),
);

/** The variables in `names` that `command` does not read. */
export function unknownTo(command: string, names: Iterable<string>): string[] {
  const known = SERVICE_ENV[command];
  if (known === undefined) throw new Error(`no settings known for rnnflow ${command}`);
  return [...names].filter((name) => !known.has(name));
}

/** A Grafana panel, as far as these checks need it. */
export interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}

/** Every panel of the dashboard, rows' nested panels included. */
export function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

/** Grafana's interval variables, replaced by a fixed range so that promtool can parse the expression. */
export function withFixedIntervals(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m');
}
