import { z } from 'zod';
import { ConfigError } from './config.errors.js';

/**
 * One setting of a service: read from a command-line flag first, then from the environment,
 * then the default. Values arrive as strings, so `schema` must parse strings (use `z.coerce`
 * or the helpers in `./schemas.ts`).
 */
export interface SettingSpec<T> {
  /** Environment variable, e.g. `KAFKA_BROKERS`. */
  env: string;
  /** Long flag without dashes, e.g. `brokers` for `--brokers`. */
  flag: string;
  description: string;
  schema: z.ZodType<T>;
  /** Shown in `--help`; parsed through `schema` like any other value. */
  default?: string;
  /** Secrets are never echoed back in error messages or startup logs. */
  secret?: boolean;
}

export type SettingSpecs = Record<string, SettingSpec<unknown>>;

export type SettingsOf<S extends SettingSpecs> = {
  [K in keyof S]: S[K] extends SettingSpec<infer T> ? T : never;
};

export interface SettingSources {
  /** Flag values keyed by `flag`; undefined means not given. */
  flags?: Readonly<Record<string, string | undefined>>;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Declares a setting with its type inferred from the schema. */
export function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

/**
 * Reads every setting once, at start, and fails with one error that names each bad setting
 * (by flag and environment variable) rather than the first one only.
 */
export function loadSettings<S extends SettingSpecs>(
  specs: S,
  sources: SettingSources = {},
): SettingsOf<S> {
  const env = sources.env ?? process.env;
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const raw = sources.flags?.[spec.flag] ?? nonEmpty(env[spec.env]) ?? spec.default;
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
      continue;
    }
    const shown = raw === undefined ? 'nothing' : spec.secret ? '(hidden)' : JSON.stringify(raw);
    const reason = parsed.error.issues.map((issue) => issue.message).join('; ');
    problems.push(`--${spec.flag} / ${spec.env}: ${reason} (got ${shown})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as SettingsOf<S>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
