import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';

/** Every record of `topic` from the beginning, once `count` have arrived. */
export async function readAll(
  brokers: string[],
  topic: string,
  count: number,
): Promise<KafkaMessage[]> {
  const kafka = new Kafka({ clientId: 'sim-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `sim-reader-${topic}`, maxWaitTimeInMs: 200 });
  const messages: KafkaMessage[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            messages.push(...batch.messages);
            if (messages.length >= count) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
