/**
 * The floor of the live phase: a plain kafkajs consume → produce service, as a user would write
 * one without rnnflow — `eachBatch` sends one small record per input (its key and the input's
 * timestamp as `{"ts": …}`), and kafkajs resolves and commits the offsets itself. Default kafkajs
 * settings except the fetch wait, which is the predictor's on this broker. Run in its own process:
 *
 *   node --import tsx floor.service.ts <brokers> <input topic> <output topic> <group> <fetch wait ms>
 *
 * Prints `ready` on stdout once it has joined its group; SIGTERM stops it.
 */
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const [brokers, input, output, groupId, fetchWaitMs] = process.argv.slice(2);
const kafka = new Kafka({
  clientId: 'rnnflow-bench-floor',
  brokers: brokers.split(','),
  logLevel: logLevel.ERROR,
});
// kafkajs 2's default partitioner (murmur2, as Java clients), named to silence its warning.
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: Number(fetchWaitMs) });
consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('ready\n'));
consumer.on(consumer.events.CRASH, ({ payload }) => {
  process.stderr.write(`floor service: consumer crashed: ${payload.error.message}\n`);
  process.exit(1);
});

await producer.connect();
await consumer.connect();
await consumer.subscribe({ topics: [input], fromBeginning: true });
await consumer.run({
  eachBatch: async ({ batch }) => {
    await producer.send({
      topic: output,
      messages: batch.messages.map(({ key, timestamp }) => ({ key, value: `{"ts":${timestamp}}` })),
    });
  },
});

const stop = async () => {
  await consumer.disconnect();
  await producer.disconnect();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
