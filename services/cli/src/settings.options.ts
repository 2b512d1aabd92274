import { Option, type Command } from 'commander';
import { loadSettings, type SettingSpecs, type SettingsOf } from '@rnnflow/config';

/**
 * Adds one `--flag <value>` per setting, with its environment variable and default in the
 * help, so `--help` lists every way to configure a service.
 */
export function addSettingOptions(command: Command, specs: SettingSpecs): Command {
  for (const spec of Object.values(specs)) {
    const shownDefault =
      spec.default === undefined ? '' : `, default ${spec.default === '' ? '""' : spec.default}`;
    command.addOption(
      new Option(`--${spec.flag} <value>`, `${spec.description} (env ${spec.env}${shownDefault})`),
    );
  }
  return command;
}

/** Reads the settings from the command's flags, then the environment, then defaults. */
export function settingsFromCommand<S extends SettingSpecs>(
  command: Command,
  specs: S,
): SettingsOf<S> {
  const options = command.opts<Record<string, string | undefined>>();
  const flags: Record<string, string | undefined> = {};
  for (const spec of Object.values(specs)) flags[spec.flag] = options[camelCase(spec.flag)];
  return loadSettings(specs, { flags });
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
