import { Option, type Command } from 'commander';
import { loadSettings, z, type SettingSpecs, type SettingsOf } from '@rnnflow/config';

/**
 * Adds one `--flag <value>` per setting, with its environment variable, default and (for an
 * enum) choices declared to commander, so `--help` lists every way to configure a service.
 */
export function addSettingOptions(command: Command, specs: SettingSpecs): Command {
  for (const spec of Object.values(specs)) {
    const option = new Option(`--${spec.flag} <value>`, spec.description).env(spec.env);
    if (spec.default !== undefined) option.default(spec.default);
    const choices = choicesOf(spec.schema);
    // Shown in the help only: loadSettings checks every value, so that one error names every
    // bad setting, given by flag or by variable, instead of commander stopping at the first.
    if (choices !== undefined) option.choices(choices).argParser((value: string) => value);
    command.addOption(option);
  }
  return command;
}

/**
 * Reads the settings from the flags given on the command line, then the environment, then
 * defaults: @rnnflow/config reads the environment and applies the defaults, not commander.
 */
export function settingsFromCommand<S extends SettingSpecs>(
  command: Command,
  specs: S,
): SettingsOf<S> {
  const options = command.opts<Record<string, string | undefined>>();
  const flags: Record<string, string | undefined> = {};
  for (const option of command.options) {
    const key = option.attributeName();
    if (command.getOptionValueSource(key) === 'cli') flags[option.name()] = options[key];
  }
  return loadSettings(specs, { flags });
}

/** The values of an enum setting (optional or not); undefined for any other schema. */
function choicesOf(schema: z.ZodType): readonly string[] | undefined {
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  return inner instanceof z.ZodEnum ? (inner.options as string[]) : undefined;
}
