import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { devstackCommand } from './devstack.command.js';

/** The `devstack` command with exits turned into thrown CommanderErrors and output captured. */
function quietDevstack(): { command: Command; output: () => string } {
  let output = '';
  const command = devstackCommand();
  for (const each of [command, ...command.commands]) {
    each.exitOverride().configureOutput({
      writeOut: (text) => (output += text),
      writeErr: (text) => (output += text),
    });
  }
  return { command, output: () => output };
}

// Only invalid flags are parsed here: a valid `up` would start the stack (see test/devstack).
describe('rnnflow devstack up flags', () => {
  it.each([
    [['--topic', 'events'], "option '--topic <name:partitions>' argument 'events' is invalid"],
    [['--topic', 'events:0'], 'partitions must be 1-10000'],
    [['--topic', 'a:1', '--topic', 'a:2'], 'topic "a" is given more than once'],
    [['--broker-count', '0'], "option '--broker-count <n>' argument '0' is invalid"],
    [['--broker-count', 'two'], 'expected a whole number from 1 to 16'],
    [['--redis-url', 'localhost:6379'], 'expected a redis:// or rediss:// URL'],
  ])('rejects %j', async (flags, message) => {
    const { command, output } = quietDevstack();
    const parsing = command.parseAsync(['up', ...flags], { from: 'user' });
    await expect(parsing).rejects.toBeInstanceOf(CommanderError);
    await expect(parsing).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    expect(output()).toContain(message);
  });

  it('has no --brokers flag: elsewhere it names broker addresses, not a count', async () => {
    const { command, output } = quietDevstack();
    const parsing = command.parseAsync(['up', '--brokers', '2'], { from: 'user' });
    await expect(parsing).rejects.toMatchObject({ code: 'commander.unknownOption' });
    expect(output()).toContain("unknown option '--brokers'");
  });

  it('documents the default topics in its help', async () => {
    const { command, output } = quietDevstack();
    await expect(command.parseAsync(['up', '--help'], { from: 'user' })).rejects.toMatchObject({
      code: 'commander.helpDisplayed',
    });
    expect(output().replace(/\s+/g, ' ')).toContain('events:6 predictions:6 events.dlq:1');
  });
});
