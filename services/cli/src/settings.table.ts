import type { SettingSpecs } from '@rnnflow/config';

/** A markdown table of a service's settings: variable, flag, default, meaning. */
export function settingsTable(specs: SettingSpecs): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = Object.values(specs).map(
    (spec) =>
      `| \`${spec.env}\` | \`--${spec.flag}\` | ${spec.default === undefined ? '—' : `\`${spec.default === '' ? '""' : spec.default}\``} | ${escape(spec.description)} |`,
  );
  return ['| variable | flag | default | meaning |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
