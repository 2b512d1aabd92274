import { readFileSync, readdirSync } from 'node:fs';
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
 * Every environment variable a setting declares (`env: '…'` in `libs/config/src` and each
 * service's `*.settings.ts`). Read from the sources rather than imported, so that services
 * without an index yet, or with heavy imports, still count.
 */
export function knownEnvNames(): Set<string> {
  const files = [
    ...settingsFiles('libs/config/src'),
    ...readdirSync(join(ROOT, 'services')).flatMap((service) =>
      settingsFiles(`services/${service}/src`),
    ),
  ];
  const names = new Set<string>();
  for (const file of files) {
    for (const match of read(file).matchAll(/\benv:\s*'([A-Z][A-Z0-9_]*)'/g)) names.add(match[1]);
  }
  return names;
}

function settingsFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(ROOT, dir));
  } catch {
    return [];
  }
  return entries.filter((name) => name.endsWith('.settings.ts')).map((name) => `${dir}/${name}`);
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
