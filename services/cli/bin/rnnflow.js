#!/usr/bin/env -S node --max-semi-space-size=64
// V8's young generation at 64 MB a semi-space (default 16): a predictor batch allocates
// thousands of records, predictions and states that die within the batch, and with the default
// the scavenger ran often enough to promote them still alive (~10 % of the event loop). Measured
// +17 % at-least-once throughput in services/bench/README.md. The Dockerfiles pass the same flag.
//
// The workspace ships TypeScript sources, which tsx compiles on load so that one checkout runs
// without a build step. Registering tsx and loading a command's modules costs a second or more,
// so this file answers `--help`, `--version` and unknown commands from the command list alone,
// and loads only the one command that runs.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';
import { Command } from 'commander';

const read = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
/** @type {{ name: string; description: string }[]} */
const commands = read('../src/command.list.json');
const { version } = read('../package.json');

const args = process.argv.slice(2);
// `rnnflow help <command>` is `rnnflow <command> --help`.
if (args[0] === 'help' && commands.some(({ name }) => name === args[1])) {
  process.argv.splice(2, 2, args[1], '--help');
}
const chosen = commands.find(({ name }) => name === process.argv[2]);

if (chosen !== undefined) {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCommand } = await import('../src/main.ts');
  await runCommand(chosen.name);
} else {
  const program = new Command('rnnflow')
    .description('Real-time stateful recurrent predictions on Kafka event streams, state in Redis.')
    .version(version)
    .showHelpAfterError();
  for (const { name, description } of commands) program.command(name).description(description);
  program.parse();
}
