import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { loggingSettings, redisSettings } from '@rnnflow/config';
import { savePng } from '@rnnflow/plots';
import { createRedisConnection, redisConnectionOptions } from '@rnnflow/state';
import { addSettingOptions, settingsFromCommand } from '../settings.options.js';
import { gateCharts } from './state.inspect.chart.js';
import { inspectState, type InspectReport } from './state.inspect.js';

const connectionSettings = { ...redisSettings, ...loggingSettings };

/** `rnnflow state inspect`: what the model remembers about one key. */
export function stateCommand(): Command {
  const inspect = new Command('inspect')
    .description(
      "One key's state: step, offset, model version, norms and ranges of h and c per layer; " +
        'its kept inputs (RNNFLOW_KEEP_INPUTS) replayed with the mean gate activations per step, ' +
        'as gates-layer<N>.png and inspect.json in --out. Reads only; works on Redis Cluster',
    )
    .requiredOption('--model <name>', 'model name in the registry')
    .requiredOption('--key <key>', 'entity key, as the events carry it')
    .option('--topic <topic>', 'input topic of the key (default: look in every topic)')
    .option('--out <dir>', 'folder for inspect.json and the charts', 'state-inspect');
  addSettingOptions(inspect, connectionSettings).action(
    async (options: { model: string; key: string; topic?: string; out: string }, command) => {
      const settings = settingsFromCommand(command as Command, connectionSettings);
      const redis = await createRedisConnection(redisConnectionOptions(settings));
      try {
        const report = await inspectState(redis, options);
        const files = await writeReport(report, options.out);
        process.stdout.write(`${summary(report)}\nwrote ${files.join(', ')}\n`);
      } finally {
        redis.disconnect();
      }
    },
  );
  return new Command('state').description('Per-key states in Redis').addCommand(inspect);
}

async function writeReport(report: InspectReport, out: string): Promise<string[]> {
  await mkdir(out, { recursive: true });
  const json = path.join(out, 'inspect.json');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  if (report.replay.length === 0) return [json];
  const charts = await Promise.all(gateCharts(report));
  const files = charts.map((_, layer) => path.join(out, `gates-layer${layer}.png`));
  await Promise.all(charts.map((png, layer) => savePng(files[layer], png)));
  return [json, ...files];
}

function summary(report: InspectReport): string {
  const lines = [
    `key ${report.key} of model ${report.model}: topic ${report.scope.topic} partition ${report.scope.partition}`,
    `step ${report.step}, offset ${report.offset}, model version ${report.modelVersion}, updated ${report.updatedAt}, ${report.precision}`,
    ...report.vectors.map(
      (v) =>
        `layer ${v.layer} ${v.name}: norm ${v.norm.toPrecision(4)}, range [${v.min.toPrecision(4)}, ${v.max.toPrecision(4)}]`,
    ),
    report.replay.length === 0
      ? 'no inputs kept for this key: set RNNFLOW_KEEP_INPUTS on the predictors to replay them'
      : `replayed its last ${report.replay.length} inputs with version ${report.replayVersion}` +
        ` (largest difference to the stored state: ${report.replayStateDifference!.toPrecision(3)})`,
  ];
  return lines.join('\n');
}
