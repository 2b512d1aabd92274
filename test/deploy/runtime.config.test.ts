import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ROOT,
  SERVICE_ENV,
  read,
  readYaml,
  readYamlDocuments,
  unknownTo,
} from './deploy.assets.js';

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
/** `rnnflow <command>` of each long-running service. */
const COMMANDS: Record<string, string> = {
  predictor: 'predictor',
  trainer: 'trainer',
  simulator: 'simulate',
};
/** One-shot services that run before the predictor (cold start). */
const ONE_SHOTS: Record<string, string> = { 'seed-events': 'simulate', 'model-init': 'trainer' };

describe('docker-compose.yml', () => {
  it('knows each command by the settings it reads: a variable of one service is not one of another', () => {
    expect(SERVICE_ENV.predictor.has('RNNFLOW_GROUP_ID')).toBe(true);
    expect(SERVICE_ENV.trainer.has('RNNFLOW_TRAINER_GROUP_ID')).toBe(true);
    expect(unknownTo('trainer', ['RNNFLOW_GROUP_ID', 'REDIS_URL'])).toEqual(['RNNFLOW_GROUP_ID']);
    expect(unknownTo('simulate', ['REDIS_URL'])).toEqual(['REDIS_URL']);
  });

  it('runs predictor, trainer, simulator and the cold-start one-shots from the rnnflow image', () => {
    expect(Object.fromEntries(rnnflowServices.map(([name, s]) => [name, s.command?.[0]]))).toEqual({
      ...COMMANDS,
      ...ONE_SHOTS,
    });
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['kafka', 'redis', 'prometheus', 'grafana']),
    );
  });

  it.each(rnnflowServices.map(([name]) => name))(
    '%s sets only variables its own command reads',
    (name) => {
      const service = compose.services[name];
      const environment = service.environment ?? {};
      expect(Object.keys(environment).length).toBeGreaterThan(0);
      expect(unknownTo(service.command![0], Object.keys(environment))).toEqual([]);
    },
  );

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
    for (const [name, service] of rnnflowServices.filter(([name]) => name in COMMANDS)) {
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

  it('the GPU image is built on CUDA 11.8 / Ubuntu 22.04 and adds tfjs-node-gpu itself', () => {
    const text = read('deploy/docker/Dockerfile.gpu');
    expect(text).toMatch(/ARG CUDA_IMAGE=nvidia\/cuda:11\.8\.\d+-cudnn8-runtime-ubuntu22\.04/);
    expect(text).toContain('"@tensorflow/tfjs-node-gpu@${TFJS_NODE_GPU_VERSION}"');
    expect(text).toContain('test -d node_modules/@tensorflow/tfjs-node-gpu');
  });

  it.each(['deploy/docker/Dockerfile', 'deploy/docker/Dockerfile.gpu'])(
    '%s runs Node.js 24, the version CI tests besides 20',
    (path) => {
      expect(read(path)).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
      expect(read('package.json')).toContain('^24');
    },
  );

  it('no workspace depends on native TensorFlow: only the GPU image installs it', () => {
    const manifests = execFileSync('git', ['ls-files', '*package.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((path) => path !== '');
    expect(manifests.length).toBeGreaterThan(10);
    for (const path of manifests) expect(read(path), path).not.toContain('@tensorflow/tfjs-node');
  });
});

describe('Kubernetes manifests', () => {
  const kustomization = readYaml('deploy/k8s/kustomization.yaml') as { resources: string[] };
  const documents = kustomization.resources.flatMap((file) =>
    readYamlDocuments(`deploy/k8s/${file}`),
  );
  type Manifest = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const find = (kind: string, name: string): Manifest => {
    const found = documents.find((d) => d.kind === kind && (d.metadata as Manifest)?.name === name);
    if (found === undefined) throw new Error(`no ${kind} ${name} in deploy/k8s`);
    return found as Manifest;
  };
  const container = (deployment: Manifest): Manifest => deployment.spec.template.spec.containers[0];
  const configMap = find('ConfigMap', 'rnnflow-config');

  it('every document names its apiVersion, kind and name', () => {
    for (const document of documents) {
      expect(document.apiVersion).toEqual(expect.any(String));
      expect(document.kind).toEqual(expect.any(String));
      expect((document.metadata as Manifest)?.name).toEqual(expect.any(String));
    }
  });

  it('kustomization lists every manifest of the folder', () => {
    const files = readdirSync(join(ROOT, 'deploy/k8s')).filter(
      (file) => file.endsWith('.yaml') && file !== 'kustomization.yaml',
    );
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  /** Every rnnflow container of a Deployment or Job, with the variables it gets. */
  const containers = documents
    .filter((d) => d.kind === 'Deployment' || d.kind === 'Job')
    .flatMap((d) => {
      const spec = (d as Manifest).spec.template.spec;
      return [...(spec.initContainers ?? []), ...spec.containers].map((c: Manifest) => ({
        where: `${(d.metadata as Manifest).name}/${c.name}`,
        container: c,
      }));
    })
    .filter(({ container }) => String(container.image).startsWith('rnnflow:'));

  function environmentOf(container: Manifest): string[] {
    const fromRefs = (container.envFrom ?? []).flatMap((ref: Manifest) => {
      if (ref.configMapRef) return Object.keys(find('ConfigMap', ref.configMapRef.name).data);
      return Object.keys(find('Secret', ref.secretRef.name).stringData);
    });
    return [...fromRefs, ...(container.env ?? []).map((e: { name: string }) => e.name)];
  }

  /** `rnnflow <command>` a container runs: its args, or the CLI call inside a shell command. */
  function commandOf(container: Manifest): string {
    if (container.args) return container.args[0];
    const script = (container.command ?? []).join(' ');
    return /rnnflow\.js (\w+)/.exec(script)?.[1] ?? '';
  }

  it('runs the predictor, the trainer, the model-init Job and its wait in the pods', () => {
    expect(containers.map(({ where }) => where).sort()).toEqual([
      'rnnflow-model-init/model-init',
      'rnnflow-predictor/predictor',
      'rnnflow-predictor/wait-for-model',
      'rnnflow-trainer/trainer',
    ]);
  });

  it('every container gets only the variables its own command reads', () => {
    for (const { where, container } of containers) {
      const command = commandOf(container) === 'model' ? 'predictor' : commandOf(container);
      expect(unknownTo(command, environmentOf(container)), where).toEqual([]);
    }
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
