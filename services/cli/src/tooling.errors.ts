import { RnnflowError } from '@rnnflow/errors';

/** Development tooling in a production install (`npm ci --omit=dev`, the images) lacks its packages. */
class ToolingNotInstalledError extends RnnflowError {
  constructor(command: string, cause: Error) {
    super(
      'CLI_TOOLING_NOT_INSTALLED',
      `rnnflow ${command} needs development packages that this production install leaves out (${cause.message.split('\n')[0]}): run it from a checkout after \`npm ci\``,
      { cause },
    );
  }
}

/** The error to show when loading `command` failed because a package is not installed. */
export function missingPackage(
  command: string,
  error: unknown,
): ToolingNotInstalledError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND'
    ? new ToolingNotInstalledError(command, error as Error)
    : undefined;
}
