import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('names the service and honours the level', () => {
    const logger = createLogger('predictor', 'warn');
    expect(logger.bindings()).toMatchObject({ service: 'predictor' });
    expect(logger.isLevelEnabled('warn')).toBe(true);
    expect(logger.isLevelEnabled('info')).toBe(false);
  });

  it('writes JSON lines to stderr and nothing to stdout', () => {
    const script = `import('${new URL('./logger.ts', import.meta.url).pathname}').then(({ createLogger }) => createLogger('probe').info({ n: 1 }, 'hello'))`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr.trim())).toMatchObject({
      service: 'probe',
      msg: 'hello',
      n: 1,
      level: 30,
    });
  });
});
