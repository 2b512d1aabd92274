import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { routeKafkaLogs, type StreamLogEntry } from './kafka.log.js';

const { logLevel } = kafkajs;

describe('routeKafkaLogs', () => {
  it('hands each kafkajs line to the sink with its level, namespace and fields', () => {
    const entries: StreamLogEntry[] = [];
    const log = routeKafkaLogs((entry) => entries.push(entry))(logLevel.INFO);
    log({
      namespace: 'Consumer',
      level: logLevel.WARN,
      label: 'WARN',
      log: { message: 'Restarting', timestamp: 'now', logger: 'kafkajs', groupId: 'g' },
    });
    expect(entries).toEqual([
      { level: 'warn', namespace: 'Consumer', message: 'Restarting', fields: { groupId: 'g' } },
    ]);
  });

  it('drops lines when there is no sink', () => {
    const log = routeKafkaLogs(undefined)(logLevel.INFO);
    expect(() =>
      log({
        namespace: 'x',
        level: logLevel.ERROR,
        label: 'ERROR',
        log: { message: 'm', timestamp: 't', logger: 'kafkajs' },
      }),
    ).not.toThrow();
  });
});
