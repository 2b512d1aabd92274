import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BenchOptionError } from './bench.errors.js';
import {
  deliveryModes,
  FULL_PRESET,
  parsePipelineOptions,
  QUICK_PRESET,
} from './pipeline.options.js';

describe('parsePipelineOptions', () => {
  it("defaults to the issue's benchmark", () => {
    expect(parsePipelineOptions({})).toEqual({
      ...FULL_PRESET,
      workers: availableParallelism(),
      predictorSettings: {},
      jsonFile: undefined,
    });
  });

  it('starts from the quick preset with --quick, explicit flags winning', () => {
    const options = parsePipelineOptions({ quick: true, keys: '200', liveSeconds: '4' });
    expect(options).toMatchObject({
      ...QUICK_PRESET,
      workers: availableParallelism(),
      keys: 200,
      liveSeconds: 4,
    });
  });

  it('caps the naive slice at the event count', () => {
    expect(parsePipelineOptions({ events: '300', keys: '10' }).naiveEvents).toBe(300);
  });

  it('names every bad flag in one error', () => {
    const parse = () =>
      parsePipelineOptions({
        units: '0',
        delivery: 'sometimes',
        liveSeconds: 'long',
        predictorSettings: ['fetch-max-wait-ms'],
      });
    expect(parse).toThrow(BenchOptionError);
    expect(parse).toThrow(/--units.*--delivery.*--live-seconds.*--predictor-setting/);
  });

  it('takes predictor settings as name=value, the value possibly empty or holding =', () => {
    const options = parsePipelineOptions({
      predictorSettings: ['fetch-max-wait-ms=10', 'label-features=', 'x-y=a=b'],
    });
    expect(options.predictorSettings).toEqual({
      'fetch-max-wait-ms': '10',
      'label-features': '',
      'x-y': 'a=b',
    });
  });

  it('refuses more keys than events', () => {
    expect(() => parsePipelineOptions({ keys: '100', events: '50' })).toThrow(/--keys/);
  });
});

describe('deliveryModes', () => {
  it('lists at-least-once first for both', () => {
    expect(deliveryModes('both')).toEqual(['at-least-once', 'exactly-once']);
    expect(deliveryModes('exactly-once')).toEqual(['exactly-once']);
  });
});
