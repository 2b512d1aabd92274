import type { RoundRecord } from '@rnnflow/trainer';

/** One refresh of the live view. Rates are per second over the last refresh interval. */
export interface LiveStatus {
  readonly elapsedSeconds: number;
  /** Undefined when the run lasts until Ctrl-C. */
  readonly durationSeconds?: number;
  readonly eventsPerSecond: number;
  readonly predictionsPerSecond: number;
  /** Events read from the input topic and not yet seen predicted on the output topic. */
  readonly lag: number;
  readonly events: number;
  readonly predictions: number;
  readonly deadLettered: number;
  /** The version the predictor serves now. */
  readonly serving: number;
  /** Versions in the order they served. */
  readonly versions: readonly number[];
  /** Mean absolute online error per version. */
  readonly onlineError: ReadonlyMap<number, number>;
  /** Rounds so far, oldest first. */
  readonly rounds: readonly RoundRecord[];
}

/** The terminal dashboard: a few aligned lines. */
export function dashboardLines(status: LiveStatus): string[] {
  return [
    `rnnflow dev  ${clock(status)}  (Ctrl-C stops and writes the report)`,
    `events     in ${rate(status.eventsPerSecond)}  out ${rate(status.predictionsPerSecond)}  lag ${status.lag}  total ${status.events} in, ${status.predictions} predicted, ${status.deadLettered} dead-lettered`,
    `model      serving v${status.serving}  served ${status.versions.map((v) => `v${v}`).join(' → ') || '-'}`,
    `online MAE ${errors(status.onlineError) || 'waiting for the first scored forecasts'}`,
    `training   ${roundsLine(status.rounds)}`,
  ];
}

/** One line for logs and pipes. */
export function plainLine(status: LiveStatus): string {
  const error = errors(status.onlineError);
  return (
    `dev ${clock(status)} in ${rate(status.eventsPerSecond)} out ${rate(status.predictionsPerSecond)} ` +
    `lag ${status.lag} serving v${status.serving}${error ? ` MAE ${error}` : ''} | ${roundsLine(status.rounds)}`
  );
}

function clock(status: LiveStatus): string {
  const elapsed = minutesSeconds(status.elapsedSeconds);
  return status.durationSeconds === undefined
    ? elapsed
    : `${elapsed} / ${minutesSeconds(status.durationSeconds)}`;
}

function minutesSeconds(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

function rate(perSecond: number): string {
  return `${Math.round(perSecond).toString().padStart(4)}/s`;
}

function errors(byVersion: ReadonlyMap<number, number>): string {
  return [...byVersion]
    .sort(([a], [b]) => a - b)
    .map(([version, error]) => `v${version} ${error.toFixed(3)}`)
    .join('  ');
}

function roundsLine(rounds: readonly RoundRecord[]): string {
  if (rounds.length === 0) return 'no round yet';
  const count = (outcome: RoundRecord['outcome']) =>
    rounds.filter((round) => round.outcome === outcome).length;
  const tally = `${rounds.length} rounds: ${count('published')} published, ${count('rejected')} rejected`;
  const failed = count('failed');
  return `${tally}${failed > 0 ? `, ${failed} failed` : ''}; last ${lastRound(rounds.at(-1)!)}`;
}

function lastRound(round: RoundRecord): string {
  const seconds = `${round.seconds.toFixed(1)} s`;
  if (round.losses === undefined) return `${round.outcome} (${round.reason ?? ''}) in ${seconds}`;
  const { champion, challenger } = round.losses;
  const versus = `held-out MSE ${challenger.toPrecision(3)} vs ${champion === null ? '-' : champion.toPrecision(3)}`;
  const outcome = round.outcome === 'published' ? `published v${round.version}` : round.outcome;
  return `${outcome}, ${versus}, ${seconds}`;
}
