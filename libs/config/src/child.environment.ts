/** Variable names that configure rnnflow services (see the README's configuration tables). */
const SETTING_NAME = /^(RNNFLOW|KAFKA|REDIS)_/;

/**
 * This process's environment without any rnnflow setting, for a child process that must be
 * configured by its flags alone (a benchmark's contender must not pick up the caller's setup).
 */
export function environmentWithoutSettings(
  environment: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(environment).filter(([name]) => !SETTING_NAME.test(name)),
  );
}
