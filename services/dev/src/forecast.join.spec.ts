import { describe, expect, it } from 'vitest';
import { ForecastJoin, type ScoredForecast } from './forecast.join.js';

function joined(): { join: ForecastJoin; scored: ScoredForecast[] } {
  const scored: ScoredForecast[] = [];
  return { join: new ForecastJoin((pair) => scored.push(pair)), scored };
}

describe('ForecastJoin', () => {
  it('pairs the forecast made at step s with the event of step s + 1, forecast first', () => {
    const { join, scored } = joined();
    join.forecast({ key: 'a', step: 1, version: 1, output: 0.5 });
    expect(scored).toEqual([]);
    join.actual({ key: 'a', step: 1, value: 9, eventTime: 1000 });
    expect(scored).toEqual([]);
    join.actual({ key: 'a', step: 2, value: 0.75, eventTime: 2000 });
    expect(scored).toEqual([
      { key: 'a', step: 2, version: 1, actual: 0.75, forecast: 0.5, eventTime: 2000 },
    ]);
  });

  it('pairs them as well when the event arrives before the forecast', () => {
    const { join, scored } = joined();
    join.actual({ key: 'a', step: 3, value: 2, eventTime: 3000 });
    join.forecast({ key: 'a', step: 2, version: 4, output: 1.5 });
    expect(scored).toEqual([
      { key: 'a', step: 3, version: 4, actual: 2, forecast: 1.5, eventTime: 3000 },
    ]);
    expect(join.waiting()).toBe(0);
  });

  it('never pairs across keys, and scores each pair once', () => {
    const { join, scored } = joined();
    join.forecast({ key: 'a', step: 1, version: 1, output: 1 });
    join.actual({ key: 'b', step: 2, value: 5, eventTime: 1 });
    expect(scored).toEqual([]);
    join.actual({ key: 'a', step: 2, value: 3, eventTime: 2 });
    join.actual({ key: 'a', step: 2, value: 3, eventTime: 2 });
    expect(scored).toHaveLength(1);
    // b's event and a's repeated event still wait for forecasts that will not come.
    expect(join.waiting()).toBe(2);
  });
});
