import { randomUUID } from 'node:crypto';
import { loadSettings } from '@rnnflow/config';
import { startKafkaMock, type KafkaMockHandle } from '@rnnflow/devstack';
import {
  ANOMALY_HEADER,
  runSimulator,
  simulatorSettings,
  type SimulationSummary,
} from '@rnnflow/simulator';
import { createLogger } from '@rnnflow/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll } from './simulator.harness.js';

const run = randomUUID().slice(0, 8);
const TOPICS = { paced: `sim-paced-${run}`, stopped: `sim-stopped-${run}` };
const silent = createLogger('simulator-test', 'silent');

/** Settings as the CLI would load them, from flags only (the environment is ignored). */
function settingsFor(brokers: string[], flags: Record<string, string>) {
  return loadSettings(simulatorSettings, {
    env: {},
    flags: { brokers: brokers.join(','), 'metrics-port': '0', progress: 'false', ...flags },
  });
}

async function scrapeSentTotal(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('rnnflow_simulator_events_sent_total'));
  return line === undefined ? NaN : Number(line.split(' ').at(-1));
}

describe('simulator against a Kafka-protocol broker', () => {
  let mock: KafkaMockHandle;

  beforeAll(async () => {
    mock = await startKafkaMock({
      brokers: 1,
      topics: [
        { name: TOPICS.paced, partitions: 3 },
        { name: TOPICS.stopped, partitions: 1 },
      ],
    });
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it('produces the requested events for every key, in the event contract, at about the rate', async () => {
    const settings = settingsFor(mock.bootstrapServers, {
      'input-topic': TOPICS.paced,
      keys: '20',
      rate: '400',
      events: '800',
      features: '3',
      'anomaly-rate': '0.05',
      'tombstone-every': '9',
      target: 'next',
      seed: '11',
    });
    const scrapes: number[] = [];
    let scraping: Promise<void> = Promise.resolve();
    const summary: SimulationSummary = await runSimulator(settings, {
      logger: silent,
      // Scraped while the run is on: the server closes when runSimulator returns.
      onListening: (port) => {
        scraping = new Promise((resolve) => setTimeout(resolve, 1000)).then(async () => {
          scrapes.push(await scrapeSentTotal(port));
        });
      },
    });
    await scraping;

    expect(summary).toMatchObject({ sent: 800, stopped: false, fellBehind: false });
    expect(scrapes[0]).toBeGreaterThan(0);
    expect(scrapes[0]).toBeLessThanOrEqual(800);
    // 800 records at 400/s: 2 s when paced. Loose bounds: a shared machine may be slow, never fast.
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(1900);
    expect(summary.elapsedMs).toBeLessThan(20_000);

    const messages = await readAll(mock.bootstrapServers, TOPICS.paced, 800);
    expect(messages).toHaveLength(800);
    const keys = new Set(messages.map((m) => String(m.key)));
    expect(keys).toEqual(
      new Set(Array.from({ length: 20 }, (_, i) => `sensor-${String(i).padStart(6, '0')}`)),
    );

    const tombstones = messages.filter((m) => m.value === null);
    expect(tombstones).toHaveLength(summary.tombstones);
    // Each key gets 40 records: 9 events then a tombstone, four times.
    expect(tombstones).toHaveLength(80);
    for (const message of messages.filter((m) => m.value !== null)) {
      const body = JSON.parse(String(message.value)) as Record<string, unknown>;
      expect((body.features as number[]).length).toBe(3);
      expect((body.features as number[]).every(Number.isFinite)).toBe(true);
      expect(body.ts).toBe(Number(message.timestamp));
      if (body.target !== undefined) expect((body.target as number[]).length).toBe(1);
    }
    const flagged = messages.filter((m) => m.headers?.[ANOMALY_HEADER] !== undefined);
    expect(flagged).toHaveLength(summary.anomalies);
    expect(summary.anomalies).toBeGreaterThan(0);

    const times = messages.map((m) => Number(m.timestamp));
    // Paced, not a burst: the event times spread over about 2 s.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(1500);
  });

  it('stops on abort after the batch in flight, with every counted record delivered', async () => {
    const settings = settingsFor(mock.bootstrapServers, {
      'input-topic': TOPICS.stopped,
      keys: '5',
      rate: '200',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 700);
    const summary = await runSimulator(settings, { logger: silent, signal: controller.signal });
    expect(summary.stopped).toBe(true);
    expect(summary.sent).toBeGreaterThan(50);
    expect(summary.sent).toBeLessThan(400);
    const messages = await readAll(mock.bootstrapServers, TOPICS.stopped, summary.sent);
    expect(messages).toHaveLength(summary.sent);
  });
});
