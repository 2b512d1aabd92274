import type { MessageHeader, Producer } from 'node-rdkafka';
import { isUtf8 } from 'node:buffer';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamLogLevel, StreamLogSink } from './kafka.log.js';
import { fromLibrdkafkaError, type LibrdkafkaErrorLike } from './librdkafka.errors.js';
import type { LibrdkafkaProducerConfig } from './librdkafka.config.js';
import type { LibrdkafkaModule } from './librdkafka.module.js';
import type { RecordProducer } from './record.producer.js';
import { retry, type RetryOptions } from './retry.policy.js';
import { StreamError } from './stream.errors.js';
import type { StreamInstrumentation } from './stream.instrumentation.js';
import type { OutgoingMessage, TopicMessages } from './stream.records.js';

/** Wait before offering a record again when librdkafka's queue is full, ms. */
const QUEUE_FULL_WAIT_MS = 5;
const QUEUE_FULL = -184;
/** Longest wait for the first metadata answer before a connection attempt counts as failed. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A flush outlives the delivery timeout by this much before it counts as stuck, ms. */
const FLUSH_MARGIN_MS = 5000;
/**
 * Each flush call waits this long at most. A longer flush would check for an empty queue only
 * every 10 ms (no report arrives to wake it: successes are not reported), a floor on latency.
 */
const FLUSH_CHECK_MS = 2;
const TIMED_OUT = -185;

type RecordHeaders = NonNullable<OutgoingMessage['headers']>;

/** Headers as node-rdkafka takes them, and whether text would alter some of their bytes. */
interface HeaderEncoding {
  list: MessageHeader[];
  binary: boolean;
}

/** One `sendBatch` call waiting for its records to be acknowledged. */
interface DeliveryCall {
  topicMessages: readonly TopicMessages[];
  /** Why librdkafka refused to queue one of its records. */
  failure: LibrdkafkaErrorLike | undefined;
  settle: (failure: LibrdkafkaErrorLike | undefined) => void;
}

/**
 * A producer on librdkafka (through node-rdkafka): records are encoded, batched and sent by
 * librdkafka's own threads in C, which costs a fraction of kafkajs's JavaScript encoding on the
 * event loop. `sendBatch` resolves once every record of the call was acknowledged by all
 * in-sync replicas (a flush found librdkafka's queue empty and no failure was reported for the
 * call), so callers keep kafkajs's "acked when resolved" rule.
 */
export class LibrdkafkaProducer implements RecordProducer {
  readonly client = 'librdkafka';
  private connection: Promise<Producer> | undefined;
  /** Calls whose records wait for the next flush (see `deliver`). */
  private waiting: DeliveryCall[] = [];
  private flushing = false;
  private failureReports = 0;
  /** The first failure reported for a record of the group being flushed. */
  private groupFailure: LibrdkafkaErrorLike | undefined;
  /** Headers in node-rdkafka's form, by the object they came from: a batch shares one object. */
  private readonly headerEncodings = new WeakMap<object, HeaderEncoding>();
  private binaryHeaderProducer: RecordProducer | undefined;
  private scratch = Buffer.allocUnsafeSlow(64 * 1024);

  /** @internal use `KafkaClient.producer({ client: 'librdkafka' })`. */
  constructor(
    private readonly librdkafka: LibrdkafkaModule,
    private readonly config: LibrdkafkaProducerConfig,
    private readonly instrumentation: StreamInstrumentation,
    private readonly options: {
      connectRetry?: RetryOptions;
      log?: StreamLogSink;
      /** Makes the producer for records whose header bytes are not UTF-8 (see `sendBatch`). */
      binaryHeaderProducer: () => RecordProducer;
      /** librdkafka's `message.timeout.ms`: a record unacknowledged this long fails. */
      deliveryTimeoutMs: number;
    },
  ) {}

  /**
   * node-rdkafka hands header values to librdkafka as text, so a header holding bytes that are
   * not UTF-8 (a dead letter keeps the original record's headers) would be altered; such
   * records go through the kafkajs producer instead, sent at the same time.
   */
  async sendBatch(topicMessages: readonly TopicMessages[]): Promise<void> {
    const { text, binary } = this.splitByHeaderBytes(topicMessages);
    await Promise.all([
      text.length > 0 ? this.sendNative(text) : undefined,
      binary.length > 0 ? this.binaryHeaders().sendBatch(binary) : undefined,
    ]);
  }

  private async sendNative(topicMessages: readonly TopicMessages[]): Promise<void> {
    const producer = await this.connected();
    await this.instrumentation.timeCall(
      'produce',
      async () => {
        const failure = await this.deliver(producer, topicMessages);
        if (failure !== undefined) throw failure;
      },
      (error) => this.toStreamError(error, 'produce'),
    );
  }

  async disconnect(): Promise<void> {
    const binaryHeaders = this.binaryHeaderProducer;
    this.binaryHeaderProducer = undefined;
    await binaryHeaders?.disconnect();
    const connection = this.connection;
    this.connection = undefined;
    const producer = await connection?.catch(() => undefined);
    if (producer === undefined) return;
    await new Promise<void>((resolve) => producer.flush(5000, () => resolve()));
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }

  /**
   * Resolves with the first failure of the call's records, or undefined once all were
   * acknowledged. librdkafka reports failed records only (`delivery.report.only.error`, which
   * spares the event loop a report object per record) and a flush returns once every queued
   * record was acknowledged or failed. Calls are flushed in groups: the calls waiting when a
   * flush begins queue their records and share it, and calls arriving during it form the next
   * group, so a flush never waits for records queued after it began.
   *
   * A group's calls share one outcome: a failed record fails every call of its group, and the
   * callers' retries produce again records that were acknowledged (at-least-once allows it).
   * Records carry no per-call opaque because node-rdkafka frees an opaque's handle only in a
   * delivery report, which acknowledged records no longer get: each would leak its call.
   */
  private deliver(
    producer: Producer,
    topicMessages: readonly TopicMessages[],
  ): Promise<LibrdkafkaErrorLike | undefined> {
    return new Promise((settle) => {
      this.waiting.push({ topicMessages, failure: undefined, settle });
      if (!this.flushing) void this.flushGroups(producer);
    });
  }

  private async flushGroups(producer: Producer): Promise<void> {
    this.flushing = true;
    while (this.waiting.length > 0) await this.flushGroup(producer, this.waiting.splice(0));
    this.flushing = false;
  }

  private async flushGroup(producer: Producer, group: readonly DeliveryCall[]): Promise<void> {
    this.groupFailure = undefined;
    for (const call of group) {
      try {
        for (const { topic, messages } of call.topicMessages) {
          for (const message of messages) {
            // Awaits only while librdkafka's queue is full: the hot path stays synchronous.
            while (!this.offer(producer, topic, message)) {
              producer.poll(); // serves failed records' reports, which hold their queue places
              await sleep(QUEUE_FULL_WAIT_MS);
            }
          }
        }
      } catch (error) {
        call.failure ??= error as LibrdkafkaErrorLike;
      }
    }
    try {
      await this.flush(producer);
    } catch (error) {
      this.groupFailure ??= error as LibrdkafkaErrorLike;
    }
    await this.failureReportsServed();
    for (const call of group) call.settle(call.failure ?? this.groupFailure);
  }

  /**
   * The flush thread hands failure reports to the event loop before its own completion, in the
   * same or an earlier loop pass, but node-rdkafka dispatches at most 100 per pass and defers the
   * rest to the next; so the wait lasts until a whole pass brought no report.
   */
  private async failureReportsServed(): Promise<void> {
    let seen: number;
    do {
      seen = this.failureReports;
      await new Promise((resolve) => setImmediate(resolve));
    } while (this.failureReports !== seen);
  }

  /** Resolves once librdkafka's queue is empty; rejects when that takes far longer than any record may. */
  private async flush(producer: Producer): Promise<void> {
    const deadline = performance.now() + this.options.deliveryTimeoutMs + FLUSH_MARGIN_MS;
    for (;;) {
      const error = await new Promise<LibrdkafkaErrorLike | null | undefined>((resolve) =>
        producer.flush(FLUSH_CHECK_MS, resolve),
      );
      if (!error) return;
      const timedOut = this.librdkafka.codes.codeOf(error) === TIMED_OUT;
      if (!timedOut || performance.now() > deadline) throw error;
    }
  }

  /** Queues one record; false when librdkafka's queue is full. */
  private offer(producer: Producer, topic: string, message: OutgoingMessage): boolean {
    try {
      producer.produce(
        topic,
        message.partition ?? null,
        typeof message.value === 'string' ? this.encoded(message.value) : message.value,
        message.key ?? null,
        message.timestamp ?? null,
        undefined,
        message.headers && this.headerEncoding(message.headers).list,
      );
    } catch (error) {
      if ((error as LibrdkafkaErrorLike).code === QUEUE_FULL) return false;
      throw error;
    }
    return true;
  }

  /**
   * The text's UTF-8 bytes in a buffer reused for every record: node-rdkafka copies a value
   * into librdkafka's queue before `produce` returns, so a Buffer per value would only feed the
   * garbage collector.
   */
  private encoded(text: string): Buffer {
    const mostBytes = text.length * 3;
    if (mostBytes > this.scratch.length) this.scratch = Buffer.allocUnsafeSlow(mostBytes);
    return this.scratch.subarray(0, this.scratch.write(text, 0, 'utf8'));
  }

  private binaryHeaders(): RecordProducer {
    this.binaryHeaderProducer ??= this.options.binaryHeaderProducer();
    return this.binaryHeaderProducer;
  }

  /** The records in two groups: headers all text, and some header bytes not UTF-8. */
  private splitByHeaderBytes(topicMessages: readonly TopicMessages[]): {
    text: readonly TopicMessages[];
    binary: TopicMessages[];
  } {
    const hasBinary = (message: OutgoingMessage) =>
      message.headers !== undefined && this.headerEncoding(message.headers).binary;
    if (!topicMessages.some(({ messages }) => messages.some(hasBinary))) {
      return { text: topicMessages, binary: [] };
    }
    const part = (binary: boolean) =>
      topicMessages
        .map(({ topic, messages }) => ({
          topic,
          messages: messages.filter((message) => hasBinary(message) === binary),
        }))
        .filter(({ messages }) => messages.length > 0);
    return { text: part(false), binary: part(true) };
  }

  private headerEncoding(headers: RecordHeaders): HeaderEncoding {
    let encoding = this.headerEncodings.get(headers);
    if (encoding === undefined) {
      const values = Object.entries(headers).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((one) => [name, one] as const),
      );
      encoding = {
        list: values.map(([name, one]) => ({
          [name]: typeof one === 'string' ? one : one.toString('utf8'),
        })),
        binary: values.some(([, one]) => Buffer.isBuffer(one) && !isUtf8(one)),
      };
      this.headerEncodings.set(headers, encoding);
    }
    return encoding;
  }

  private connected(): Promise<Producer> {
    this.connection ??= retry(() => this.connectOnce(), {
      ...this.options.connectRetry,
      shouldRetry: (error) => this.toStreamError(error, 'connect').retriable,
    }).catch((error: unknown) => {
      this.connection = undefined;
      throw this.toStreamError(error, 'connect');
    });
    return this.connection;
  }

  private connectOnce(): Promise<Producer> {
    const producer = new this.librdkafka.Producer(this.config.global, this.config.topic);
    producer.on('delivery-report', (error) => {
      this.failureReports += 1;
      if (error) this.groupFailure ??= error;
    });
    producer.on('event.log', (event: { severity: number; fac: string; message: string }) =>
      this.log(syslogLevel(event.severity), event.fac, event.message),
    );
    producer.on('event.error', (error) => this.log('warn', 'librdkafka', error.message));
    return new Promise((resolve, reject) => {
      producer.connect({ allTopics: false, timeout: CONNECT_TIMEOUT_MS }, (error) => {
        if (!error) return resolve(producer);
        producer.disconnect(() => reject(error));
      });
    });
  }

  private log(level: StreamLogLevel, namespace: string, message: string): void {
    this.options.log?.({ level, namespace, message, fields: { client: 'librdkafka' } });
  }

  private toStreamError(error: unknown, operation: 'connect' | 'produce'): StreamError {
    if (error instanceof StreamError) return error;
    return fromLibrdkafkaError(error as LibrdkafkaErrorLike, operation, this.librdkafka.codes);
  }
}

/** Syslog severity (librdkafka's log levels) as a stream log level. */
function syslogLevel(severity: number): StreamLogLevel {
  if (severity <= 3) return 'error';
  if (severity === 4) return 'warn';
  return severity <= 6 ? 'info' : 'debug';
}
