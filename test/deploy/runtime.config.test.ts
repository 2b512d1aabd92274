import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, knownEnvNames, read, readYaml, readYamlDocuments } from './deploy.assets.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, unknown>;
  /** A list of names, or names mapped to conditions. */
  depends_on?: string[] | Record<string, unknown>;
  healthcheck?: { test: string[] };
}

const compose = readYaml('docker-compose.yml') as { services: Record<string, ComposeService> };
const rnnflowServices = Object.entries(compose.services).filter(
  ([, service]) => service.build?.dockerfile === 'deploy/docker/Dockerfile',
);
const known = knownEnvNames();
/** `rnnflow <command>` of each service, and the port its metrics listen on by default. */
const COMMANDS: Record<string, string> = {
  predictor: 'predictor',
  trainer: 'trainer',
  simulator: 'simulate',
};

describe('docker-compose.yml', () => {
  it('reads the settings names from the sources it checks against', () => {
    for (const name of ['KAFKA_BROKERS', 'REDIS_URL', 'RNNFLOW_GROUP_ID', 'RNNFLOW_SIM_RATE']) {
      expect(known.has(name)).toBe(true);
    }
  });

  it('runs predictor, trainer and simulator from the rnnflow image with their commands', () => {
    expect(Object.fromEntries(rnnflowServices.map(([name, s]) => [name, s.command?.[0]]))).toEqual(
      COMMANDS,
    );
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['kafka', 'redis', 'prometheus', 'grafana']),
    );
  });

  it.each(Object.keys(COMMANDS))('%s sets only known environment variables', (name) => {
    const environment = compose.services[name].environment ?? {};
    expect(Object.keys(environment).length).toBeGreaterThan(0);
    expect(Object.keys(environment).filter((variable) => !known.has(variable))).toEqual([]);
  });

  it('every rnnflow service reaches Kafka inside the compose network', () => {
    for (const [, service] of rnnflowServices) {
      expect(service.environment?.KAFKA_BROKERS).toBe('kafka:9092');
    }
  });

  it('each service metrics port is the one Prometheus scrapes and the healthcheck asks', () => {
    const prometheus = readYaml('deploy/prometheus/prometheus.yml') as {
      scrape_configs: { dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    const scraped = new Map(
      prometheus.scrape_configs
        .flatMap((config) => config.dns_sd_configs)
        .map((sd) => [sd.names[0], sd.port]),
    );
    for (const [name, service] of rnnflowServices) {
      const port = Number(service.environment?.RNNFLOW_METRICS_PORT);
      expect(scraped.get(name)).toBe(port);
      if (service.healthcheck)
        expect(service.healthcheck.test.join(' ')).toContain(`:${port}/healthz`);
    }
  });

  it('depends only on services it defines', () => {
    const names = new Set(Object.keys(compose.services));
    for (const service of Object.values(compose.services)) {
      const dependsOn = service.depends_on ?? [];
      for (const dependency of Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn)) {
        expect(names.has(dependency)).toBe(true);
      }
    }
  });
});

describe('Dockerfiles', () => {
  it.each(['deploy/docker/Dockerfile', 'deploy/docker/Dockerfile.gpu'])(
    '%s runs the CLI as a non-root user in its last stage',
    (path) => {
      const text = read(path);
      const lastStage = text.slice(text.lastIndexOf('\nFROM '));
      expect(lastStage).toMatch(/^USER node$/m);
      // The image runs node with the V8 flags the CLI's shebang gives it.
      const shebang = read('services/cli/bin/rnnflow.js').split('\n')[0];
      const flags = shebang.replace('#!/usr/bin/env -S node', '').trim().split(/\s+/);
      const entrypoint = ['node', ...flags, 'services/cli/bin/rnnflow.js'];
      expect(lastStage).toContain(`ENTRYPOINT ${JSON.stringify(entrypoint).replaceAll(',', ', ')}`);
      expect(existsSync(join(ROOT, 'services/cli/bin/rnnflow.js'))).toBe(true);
      expect(text).toContain('npm ci --omit=dev');
    },
  );

  it('the GPU image is built on CUDA and keeps tfjs-node-gpu', () => {
    const text = read('deploy/docker/Dockerfile.gpu');
    expect(text).toMatch(/ARG CUDA_IMAGE=nvidia\/cuda:\S+cudnn\S+/);
    expect(text).toContain('test -d node_modules/@tensorflow/tfjs-node-gpu');
  });
});

describe('Kubernetes manifests', () => {
  const documents = ['config', 'predictor', 'trainer', 'keda-scaledobject'].flatMap((file) =>
    readYamlDocuments(`deploy/k8s/${file}.yaml`),
  );
  type Manifest = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const find = (kind: string, name: string): Manifest => {
    const found = documents.find((d) => d.kind === kind && (d.metadata as Manifest)?.name === name);
    if (found === undefined) throw new Error(`no ${kind} ${name} in deploy/k8s`);
    return found as Manifest;
  };
  const container = (deployment: Manifest): Manifest => deployment.spec.template.spec.containers[0];
  const configMap = find('ConfigMap', 'rnnflow-config');
  const secret = find('Secret', 'rnnflow-secrets');

  it('every document names its apiVersion, kind and name', () => {
    for (const document of documents) {
      expect(document.apiVersion).toEqual(expect.any(String));
      expect(document.kind).toEqual(expect.any(String));
      expect((document.metadata as Manifest)?.name).toEqual(expect.any(String));
    }
  });

  it('config, secrets and container env use only known settings', () => {
    const names = [
      ...Object.keys(configMap.data),
      ...Object.keys(secret.stringData),
      ...['rnnflow-predictor', 'rnnflow-trainer'].flatMap((name) =>
        (container(find('Deployment', name)).env as { name: string }[]).map((e) => e.name),
      ),
    ];
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });

  it('probes the predictor: liveness on /healthz, readiness on /readyz, on its metrics port', () => {
    const predictor = container(find('Deployment', 'rnnflow-predictor'));
    expect(predictor.args).toEqual(['predictor']);
    expect(predictor.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(predictor.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    const port = predictor.env.find((e: Manifest) => e.name === 'RNNFLOW_METRICS_PORT').value;
    expect(predictor.ports).toEqual([{ name: 'metrics', containerPort: Number(port) }]);
  });

  it('runs both deployments as non-root', () => {
    for (const name of ['rnnflow-predictor', 'rnnflow-trainer']) {
      const deployment = find('Deployment', name);
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(container(deployment).securityContext.allowPrivilegeEscalation).toBe(false);
    }
  });

  it('metrics Services select their deployment pods', () => {
    for (const name of ['rnnflow-predictor', 'rnnflow-trainer']) {
      const service = find('Service', `${name}-metrics`);
      expect(service.spec.selector).toEqual(find('Deployment', name).spec.selector.matchLabels);
    }
  });

  it('KEDA scales the predictor on the lag of its own group, topic and brokers', () => {
    const scaled = find('ScaledObject', 'rnnflow-predictor');
    const predictor = container(find('Deployment', 'rnnflow-predictor'));
    const group = predictor.env.find((e: Manifest) => e.name === 'RNNFLOW_GROUP_ID').value;
    expect(scaled.spec.scaleTargetRef.name).toBe('rnnflow-predictor');
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('kafka');
    expect(trigger.metadata).toMatchObject({
      consumerGroup: group,
      topic: configMap.data.RNNFLOW_INPUT_TOPIC,
      bootstrapServers: configMap.data.KAFKA_BROKERS,
    });
    expect(Number(trigger.metadata.lagThreshold)).toBeGreaterThan(0);
  });
});
