import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  allPanels,
  exposedSeriesNames,
  metricNamesIn,
  read,
  readYaml,
  withFixedIntervals,
  type Panel,
} from './deploy.assets.js';

const RULES = 'deploy/prometheus/rules/rnnflow.rules.yml';
const RULE_TESTS = 'deploy/prometheus/tests/rnnflow.rules.test.yml';
const DASHBOARD = 'deploy/grafana/dashboards/rnnflow.json';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}

const dashboard = JSON.parse(read(DASHBOARD)) as { uid: string; panels: Panel[] };
const panels = allPanels(dashboard.panels);
const dashboardExprs = panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({
    where: `${panel.title} ${target.refId}`,
    expr: target.expr,
  })),
);
const rules = (readYaml(RULES) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const ruleExprs = rules.map((rule) => ({ where: rule.alert ?? rule.record, expr: rule.expr }));

function promtool(args: string[]): string {
  return execFileSync('promtool', args, { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
}

describe('metric names in the dashboard and the alert rules', () => {
  let exposed: Set<string>;
  beforeAll(async () => {
    exposed = await exposedSeriesNames();
  });

  it('knows histograms by their series: the check accepts _bucket only where it exists', () => {
    expect(exposed.has('rnnflow_predictor_end_to_end_seconds_bucket')).toBe(true);
    expect(exposed.has('rnnflow_predictor_end_to_end_seconds')).toBe(false);
    expect(exposed.has('rnnflow_predictor_consumer_lag_events_bucket')).toBe(false);
  });

  it.each([
    ['dashboard', dashboardExprs],
    ['alert rules', ruleExprs],
  ])('the %s use only metrics that @rnnflow/metrics exports', (_, exprs) => {
    expect(exprs.length).toBeGreaterThan(0);
    const unknown = exprs.flatMap(({ where, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !exposed.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('the dashboard shows every predictor, trainer and simulator metric family somewhere', () => {
    const used = new Set(dashboardExprs.flatMap(({ expr }) => metricNamesIn(expr)));
    const family = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const shown = new Set([...used].map(family));
    const missing = [...new Set([...exposed].map(family))].filter((name) => !shown.has(name));
    // The running mean duplicates the windowed mean computed from the histogram's _sum/_count.
    expect(missing).toEqual(['rnnflow_predictor_prediction_absolute_error_mean']);
  });
});

describe('Prometheus configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rnnflow-deploy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('promtool accepts the alert rules', () => {
    expect(promtool(['check', 'rules', RULES])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('the alert rules pass their promtool unit tests', () => {
    expect(promtool(['test', 'rules', RULE_TESTS])).toContain('SUCCESS');
  });

  it('promtool accepts prometheus.yml, which loads the rules', () => {
    const output = promtool(['check', 'config', 'deploy/prometheus/prometheus.yml']);
    expect(output).toContain('is valid prometheus config file syntax');
    expect(output).toContain('1 rule files found');
  });

  it('every dashboard query is valid PromQL', () => {
    // promtool parses expressions only as rules: one recording rule per panel query.
    const file = join(dir, 'dashboard.rules.yml');
    const recorded = dashboardExprs.map(({ expr }, i) => ({
      record: `dashboard:query_${i}`,
      expr: withFixedIntervals(expr),
    }));
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: recorded }] }));
    expect(promtool(['check', 'rules', file])).toContain(`SUCCESS: ${recorded.length} rules found`);
  });

  it('covers the alerts the issue asks for', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'RnnflowConsumerLagGrowing',
        'RnnflowDeadLetterRateHigh',
        'RnnflowNoActiveModel',
        'RnnflowPredictorErrorRate',
      ]),
    );
  });
});

describe('Grafana provisioning', () => {
  const datasources = readYaml('deploy/grafana/provisioning/datasources/prometheus.yml') as {
    datasources: { uid: string; type: string }[];
  };
  const providers = readYaml('deploy/grafana/provisioning/dashboards/rnnflow.yml') as {
    providers: { options: { path: string } }[];
  };
  const compose = readYaml('docker-compose.yml') as {
    services: Record<string, { volumes?: string[] }>;
  };

  const variables = (
    JSON.parse(read(DASHBOARD)) as { templating: { list: { name: string; type: string }[] } }
  ).templating.list;

  it('imports into an existing Grafana: data source, job and instance are variables', () => {
    expect(variables.map(({ name, type }) => `${name}:${type}`)).toEqual([
      'datasource:datasource',
      'job:query',
      'instance:query',
    ]);
    expect(datasources.datasources.some((source) => source.type === 'prometheus')).toBe(true);
  });

  it('every panel queries the chosen data source, scoped to the chosen jobs and instances', () => {
    const queried = panels.filter((panel) => (panel.targets ?? []).length > 0);
    expect(queried.length).toBeGreaterThan(10);
    for (const panel of queried) expect(panel.datasource?.uid).toBe('${datasource}');
    const unscoped = dashboardExprs.filter(
      ({ expr }) =>
        (expr.match(/\brnnflow_\w+/g) ?? []).length !==
        (expr.match(/\brnnflow_\w+\{job=~"\$job", instance=~"\$instance"/g) ?? []).length,
    );
    expect(unscoped).toEqual([]);
  });

  it('panel ids are unique', () => {
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the dashboard provider reads the folder compose mounts the dashboards into', () => {
    const mounts = (compose.services.grafana.volumes ?? []).map((volume) => volume.split(':'));
    const dashboards = mounts.find(([source]) => source === './deploy/grafana/dashboards');
    expect(dashboards?.[1]).toBe(providers.providers[0].options.path);
  });
});
