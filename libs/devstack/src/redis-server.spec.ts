import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';

const probed: number[] = [];
vi.mock('./free-port.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./free-port.js')>();
  return {
    findFreePort: async () => {
      // The first probe answers a port another process holds, as a run beside this one may.
      const port = probed.length === 0 ? takenPort : await original.findFreePort();
      probed.push(port);
      return port;
    },
  };
});

let takenPort = 0;
let holder: Server | undefined;

const held = new Set<Socket>();

afterEach(async () => {
  for (const socket of held) socket.destroy();
  await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
});

describe('startRedis', () => {
  it('starts on another port when the one it found free was taken before redis-server bound it', async () => {
    // It accepts connections (a PING probe may reach it) and never answers them.
    holder = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
    takenPort = (holder.address() as { port: number }).port;
    const { startRedis } = await import('./redis-server.js');
    const redis = await startRedis();
    try {
      expect(probed[0]).toBe(takenPort);
      expect(redis.port).not.toBe(takenPort);
      expect(probed).toHaveLength(2);
    } finally {
      await redis.stop();
    }
  });
});
