import kafkajs, { type logCreator } from 'kafkajs';

const { logLevel: KafkaLogLevel } = kafkajs;

/** Severity of a client log line, most severe first. */
export type StreamLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** One log line of the Kafka client. */
export interface StreamLogEntry {
  level: StreamLogLevel;
  /** Client component, e.g. `Consumer`, `Connection`. */
  namespace: string;
  message: string;
  /** Structured details the client attached (broker, topic, error, …). */
  fields: Record<string, unknown>;
}

/** Receives client log lines; typically `(e) => logger[e.level]({ ...e.fields, namespace: e.namespace }, e.message)`. */
export type StreamLogSink = (entry: StreamLogEntry) => void;

const LEVEL_NUMBERS: Record<StreamLogLevel | 'nothing', number> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

const LEVEL_NAMES = new Map<number, StreamLogLevel>([
  [KafkaLogLevel.ERROR, 'error'],
  [KafkaLogLevel.WARN, 'warn'],
  [KafkaLogLevel.INFO, 'info'],
  [KafkaLogLevel.DEBUG, 'debug'],
]);

/** kafkajs's number for a level name. */
export function kafkaLogLevel(level: StreamLogLevel | 'nothing'): number {
  return LEVEL_NUMBERS[level];
}

/**
 * A kafkajs `logCreator` that sends every line to `sink` instead of the console. Without a sink
 * lines are dropped: a library must not write to stdout behind its host's back.
 */
export function routeKafkaLogs(sink: StreamLogSink | undefined): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      if (sink === undefined) return;
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      sink({
        level: LEVEL_NAMES.get(level) ?? 'debug',
        namespace,
        message: String(message),
        fields,
      });
    };
}
