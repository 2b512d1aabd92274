import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import {
  createProgressDisplay,
  FULL_PRESET,
  parsePipelineOptions,
  parsePrecisionFlags,
  PRECISION_DEFAULTS,
  QUICK_PRESET,
  renderTables,
  runPipelineBench,
  runPrecisionBench,
  runScriptBench,
  type RawPipelineOptions,
  type ScriptBench,
} from '@rnnflow/bench';
import { createLogger } from '@rnnflow/logging';

/** This CLI's entry point: the benchmark starts `rnnflow predictor --workers N` with it. */
const RNNFLOW_ENTRY = fileURLToPath(new URL('../../bin/rnnflow.js', import.meta.url));

/** `rnnflow bench pipeline | cells | state | precision`. */
export function benchCommand(): Command {
  return new Command('bench')
    .description(
      'Benchmarks: the whole pipeline on the embedded stack, the cell kernels, the state store',
    )
    .addCommand(pipelineCommand())
    .addCommand(
      scriptCommand(
        'cells',
        'Batched LSTM/GRU step against tfjs-wasm (libs/cells/bench/step.bench.ts)',
      ),
    )
    .addCommand(
      scriptCommand(
        'state',
        'State store reads and writes against plain SET/MGET (libs/state/bench/state.bench.ts)',
      ),
    )
    .addCommand(precisionCommand());
}

function precisionCommand(): Command {
  const defaults = PRECISION_DEFAULTS;
  return new Command('precision')
    .description(
      'Outputs with float16 states against float32 states, step after step, on the simulator signals ' +
        'and uniform inputs: max and mean absolute difference and whether it grows; prints a table and a JSON line',
    )
    .option('--keys <n>', `keys per model (default ${defaults.keys})`)
    .option('--steps <n>', `steps per key (default ${defaults.steps})`)
    .option('--seed <n>', `seed of weights and inputs (default ${defaults.seed})`)
    .action((flags: { keys?: string; steps?: string; seed?: string }) => {
      runPrecisionBench(parsePrecisionFlags(flags));
    });
}

function pipelineCommand(): Command {
  const full = FULL_PRESET;
  const quick = QUICK_PRESET;
  const numberOption = (flag: string, description: string, key: keyof typeof full) =>
    new Option(`--${flag} <n>`, `${description} (default ${full[key]}; --quick ${quick[key]})`);
  return new Command('pipeline')
    .description(
      'The predictor with its default settings on the embedded broker and Redis: live latency ' +
        '(p50/p99/p99.9) and sustainable rate against a plain kafkajs service, and backlog ' +
        'throughput (1 MiB and small produce requests) against a kafkajs passthrough and a naive ' +
        'per-event pipeline; prints a table and a JSON line',
    )
    .option('--quick', 'a small run (smoke test); explicit flags still apply')
    .addOption(numberOption('keys', 'distinct keys of the backlogs', 'keys'))
    .addOption(numberOption('events', 'events per backlog contender', 'events'))
    .addOption(numberOption('units', 'LSTM units', 'units'))
    .addOption(numberOption('features', 'features per event', 'features'))
    .addOption(numberOption('partitions', 'partitions per topic', 'partitions'))
    .addOption(
      numberOption(
        'partitions-concurrently',
        'partition batches the passthrough and naive baselines handle at once',
        'partitionsConcurrently',
      ),
    )
    .addOption(numberOption('naive-events', 'events of the naive pipeline', 'naiveEvents'))
    .addOption(
      numberOption(
        'small-request-records',
        'records per produce request of the small-request backlog',
        'smallRequestRecords',
      ),
    )
    .addOption(
      new Option('--delivery <mode>', `predictor delivery (default ${full.delivery})`).choices([
        'at-least-once',
        'exactly-once',
        'both',
      ]),
    )
    .addOption(numberOption('live-keys', 'distinct keys of the live stream', 'liveKeys'))
    .addOption(numberOption('live-seconds', 'length of each live window', 'liveSeconds'))
    .addOption(
      numberOption('search-seconds', 'length of each sustainable-rate window', 'searchSeconds'),
    )
    .addOption(
      numberOption(
        'search-bisections',
        'bisection steps of the sustainable-rate search',
        'searchBisections',
      ),
    )
    .addOption(
      new Option(
        '--workers <n>',
        'processes of the multi-process predictor contender (rnnflow predictor --workers); ' +
          '1 skips it (default auto = one per core)',
      ),
    )
    .option(
      '--predictor-setting <name=value>',
      'a predictor flag to set, e.g. fetch-max-wait-ms=10 (repeatable; for experiments: ' +
        'the report then says the predictor did not run with its defaults)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--json <file>', 'also write the JSON result to this file')
    .option('--log-level <level>', 'log level of the services under test (stderr)', 'warn')
    .action(async (flags: Record<string, string | string[] | boolean | undefined>) => {
      const options = parsePipelineOptions(rawOptions(flags));
      const logger = createLogger('bench', String(flags.logLevel));
      const controller = new AbortController();
      const onSignal = () => {
        // A second signal while everything is being stopped means: do not wait.
        if (controller.signal.aborted) process.exit(130);
        process.stderr.write('rnnflow bench: stopping everything it started…\n');
        controller.abort();
      };
      process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
      try {
        const result = await runPipelineBench(options, {
          logger,
          progress: createProgressDisplay(),
          signal: controller.signal,
          rnnflowEntry: RNNFLOW_ENTRY,
        });
        const json = JSON.stringify(result);
        process.stdout.write(`${renderTables(result)}\n${json}\n`);
        if (options.jsonFile !== undefined) await writeFile(options.jsonFile, `${json}\n`);
      } finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      }
    });
}

function rawOptions(
  flags: Record<string, string | string[] | boolean | undefined>,
): RawPipelineOptions {
  const text = (name: string) => (typeof flags[name] === 'string' ? flags[name] : undefined);
  const settings = flags.predictorSetting;
  return {
    quick: flags.quick === true,
    keys: text('keys'),
    events: text('events'),
    units: text('units'),
    features: text('features'),
    partitions: text('partitions'),
    partitionsConcurrently: text('partitionsConcurrently'),
    naiveEvents: text('naiveEvents'),
    smallRequestRecords: text('smallRequestRecords'),
    delivery: text('delivery'),
    liveKeys: text('liveKeys'),
    liveSeconds: text('liveSeconds'),
    searchSeconds: text('searchSeconds'),
    searchBisections: text('searchBisections'),
    workers: text('workers'),
    predictorSettings: Array.isArray(settings) ? settings : undefined,
    jsonFile: text('json'),
  };
}

/** A lib's own benchmark script; arguments after the name go to it (e.g. `--quick`). */
function scriptCommand(bench: ScriptBench, description: string): Command {
  return new Command(bench)
    .description(`${description}; extra arguments are passed to the script`)
    .allowUnknownOption()
    .argument('[script-args...]')
    .action(async (args: string[]) => runScriptBench(bench, args));
}
