import { Command, InvalidArgumentError } from 'commander';
import { decodeModel, encodeModel, loadTfjsDirectory, saveTfjsDirectory } from '@rnnflow/cells';
import { loggingSettings, redisSettings } from '@rnnflow/config';
import { ModelRegistry, type VersionInfo } from '@rnnflow/registry';
import { createRedisConnection, redisConnectionOptions } from '@rnnflow/state';
import { addSettingOptions, settingsFromCommand } from '../settings.options.js';

const connectionSettings = { ...redisSettings, ...loggingSettings };

/** `rnnflow model …`: the model registry in Redis. */
export function modelCommand(): Command {
  const model = new Command('model').description(
    'Model versions in the registry: import, list, activate, roll back, export',
  );
  subcommand(
    model,
    'import',
    'Import a tfjs-layers directory (model.json + weight shards) as a new version; prints it',
  )
    .requiredOption(
      '--from <dir>',
      'directory written by tfjs model.save or tensorflowjs_converter',
    )
    .option('--activate', 'make the new version the one predictors serve')
    .action(
      withRegistry(async (registry, options) => {
        const recurrent = await loadTfjsDirectory(options.from as string);
        const info = await registry.publish(
          options.model as string,
          encodeModel(recurrent),
          {
            source: 'import',
            fingerprint: recurrent.fingerprint,
            note: `imported from ${options.from as string}`,
          },
          { activate: options.activate === true },
        );
        print(`${info.version}`);
      }),
    );
  subcommand(model, 'list', 'List the kept versions, oldest first; * marks the active one').action(
    withRegistry(async (registry, options) => {
      const name = options.model as string;
      const [versions, active] = await Promise.all([
        registry.list(name),
        registry.activeVersion(name),
      ]);
      for (const info of versions) print(describe(info, info.version === active));
    }),
  );
  subcommand(model, 'show', 'Show one version (default: the active one) as JSON')
    .option('--version <n>', 'version number', versionNumber)
    .action(
      withRegistry(async (registry, options) => {
        const { name, version, model } = await chosenVersion(registry, options);
        const info = await registry.info(name, version);
        const config = model.getConfig();
        print(
          JSON.stringify(
            { ...info, architecture: config.architecture, stateLayout: config.stateLayout },
            null,
            2,
          ),
        );
      }),
    );
  subcommand(model, 'activate', 'Make a version the one predictors serve')
    .requiredOption('--version <n>', 'version number', versionNumber)
    .action(
      withRegistry(async (registry, options) => {
        const previous = await registry.activate(
          options.model as string,
          options.version as number,
        );
        print(`active: ${options.version as number} (was ${previous ?? 'none'})`);
      }),
    );
  subcommand(model, 'rollback', 'Go back to the version active before the current one').action(
    withRegistry(async (registry, options) => {
      print(`active: ${await registry.rollback(options.model as string)}`);
    }),
  );
  subcommand(
    model,
    'export',
    'Write a version (default: the active one) as a tfjs-layers directory',
  )
    .requiredOption('--to <dir>', 'directory to write model.json and the weight shard to')
    .option('--version <n>', 'version number', versionNumber)
    .action(
      withRegistry(async (registry, options) => {
        const { name, version, model } = await chosenVersion(registry, options);
        await saveTfjsDirectory(model, options.to as string);
        print(`exported ${name} version ${version} to ${options.to as string}`);
      }),
    );
  return model;
}

function subcommand(parent: Command, name: string, description: string): Command {
  const command = parent
    .command(name)
    .description(description)
    .requiredOption('--model <name>', 'model name in the registry');
  return addSettingOptions(command, connectionSettings);
}

type RegistryAction = (registry: ModelRegistry, options: Record<string, unknown>) => Promise<void>;

function withRegistry(action: RegistryAction) {
  return async (options: Record<string, unknown>, command: Command) => {
    const settings = settingsFromCommand(command, connectionSettings);
    const redis = await createRedisConnection(redisConnectionOptions(settings));
    try {
      await action(new ModelRegistry(redis), options);
    } finally {
      redis.disconnect();
    }
  };
}

/** The version named by `--version`, or the active one, decoded. */
async function chosenVersion(registry: ModelRegistry, options: Record<string, unknown>) {
  const name = options.model as string;
  const version =
    (options.version as number | undefined) ?? (await registry.requireActiveVersion(name));
  return { name, version, model: decodeModel(await registry.artefact(name, version)) };
}

function describe(info: VersionInfo, active: boolean): string {
  const created = new Date(info.createdAt).toISOString();
  const loss =
    info.validationLoss === undefined
      ? ''
      : ` validation loss ${info.validationLoss.toPrecision(4)}`;
  return `${active ? '*' : ' '} ${info.version}\t${created}\t${info.source}${loss}\t${info.note ?? ''}`;
}

function versionNumber(value: string): number {
  if (!/^[1-9]\d*$/.test(value))
    throw new InvalidArgumentError('expected a version number (1, 2, …).');
  return Number(value);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
