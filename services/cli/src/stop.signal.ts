const PARENT_CHECK_INTERVAL_MS = 500;

/**
 * Resolves with the reason to stop: SIGINT/SIGTERM/SIGHUP, the parent process exiting, or one of
 * `others` resolving. The parent check is there because `npx` runs us under `sh -c`, and a
 * SIGTERM to npx kills that shell without passing the signal on: we are then reparented.
 */
export async function waitForStop(others: readonly Promise<string>[] = []): Promise<string> {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<string>((resolve) => {
    onSignal = (signal) => resolve(signal);
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal).once('SIGHUP', onSignal);
  });
  let parentWatch: NodeJS.Timeout | undefined;
  const parentGone = new Promise<string>((resolve) => {
    const parent = process.ppid;
    parentWatch = setInterval(() => {
      if (process.ppid !== parent) resolve(`parent process ${parent} exited`);
    }, PARENT_CHECK_INTERVAL_MS);
    // Watching must not keep the process up by itself (after a failed start, say).
    parentWatch.unref();
  });
  try {
    return await Promise.race([signalled, parentGone, ...others]);
  } finally {
    clearInterval(parentWatch);
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
  }
}

/**
 * Runs `stop`, but a second Ctrl-C or SIGTERM while it runs, or `deadlineMs` passing, ends the
 * process at once: stopping must never hang an operator's terminal or a rolling deploy.
 */
export async function stopWithin(deadlineMs: number, stop: () => Promise<void>): Promise<void> {
  const forceExit = () => process.exit(130);
  process.once('SIGINT', forceExit).once('SIGTERM', forceExit);
  const deadline = setTimeout(() => {
    process.stderr.write(`rnnflow: still stopping after ${deadlineMs} ms; exiting\n`);
    process.exit(1);
  }, deadlineMs);
  deadline.unref();
  try {
    await stop();
  } finally {
    clearTimeout(deadline);
    process.off('SIGINT', forceExit).off('SIGTERM', forceExit);
  }
}
