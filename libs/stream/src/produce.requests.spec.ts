import { describe, expect, it } from 'vitest';
import { produceRequests } from './produce.requests.js';

const messages = (topic: string, count: number) => ({
  topic,
  messages: Array.from({ length: count }, (_, index) => ({
    key: `${topic}-${index}`,
    value: String(index),
  })),
});

describe('produceRequests', () => {
  it('cuts records into consecutive requests of at most the limit, keeping their order', () => {
    const requests = produceRequests([messages('a', 5), messages('b', 4)], 3);
    expect(
      requests.map((request) => request.map(({ topic, messages: m }) => `${topic}:${m.length}`)),
    ).toEqual([['a:3'], ['a:2', 'b:1'], ['b:3']]);
    const keys = requests
      .flat()
      .flatMap(({ messages: m }) => m.map((message) => String(message.key)));
    expect(keys).toEqual(
      [...messages('a', 5).messages, ...messages('b', 4).messages].map((message) => message.key),
    );
  });

  it('sends nothing for no records', () => {
    expect(produceRequests([messages('a', 0)])).toEqual([]);
  });
});
