import kafkajs from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compressionType, registerCompressionCodecs } from './compression.codecs.js';
import { CompressionUnsupportedError, StreamErrorCode } from './stream.errors.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
const codec = (type: number): Codec =>
  (CompressionCodecs as unknown as Record<number, () => Codec>)[type]();

const repeated = 'rnnflow '.repeat(20);
// Frames written by the reference command-line tools, i.e. by someone else's encoder:
// `printf 'rnnflow %.0s' {1..20} | lz4 -c` (content checksum flag set) and `… | zstd -c`.
const LZ4_CLI_FRAME = '04224d186440a7120000008f726e6e666c6f772008008050666c6f7720000000002bc58452';
const ZSTD_CLI_FRAME = '28b52ffd04587d000040726e6e666c6f772001009551850bb2a5bfea';

describe('compression codecs', () => {
  beforeAll(() => registerCompressionCodecs());

  it('round-trips snappy and lz4 through the registered codecs', async () => {
    const bytes = Buffer.from(repeated + 'tail ✓');
    for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4]) {
      const compressed = await codec(type).compress({ buffer: bytes });
      expect(compressed.length).toBeLessThan(bytes.length);
      expect(await codec(type).decompress(compressed)).toEqual(bytes);
    }
  });

  it('reads xerial-framed snappy, the framing of the Java client', async () => {
    const raw = await codec(CompressionTypes.Snappy).compress({ buffer: Buffer.from(repeated) });
    const header = Buffer.from([130, 83, 78, 65, 80, 80, 89, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    const size = Buffer.alloc(4);
    size.writeUInt32BE(raw.length);
    const framed = Buffer.concat([header, size, raw, size, raw]);
    const decoded = await codec(CompressionTypes.Snappy).decompress(framed);
    expect(decoded.toString()).toBe(repeated + repeated);
  });

  it('reads lz4 and zstd frames written by the reference tools', async () => {
    const lz4 = await codec(CompressionTypes.LZ4).decompress(Buffer.from(LZ4_CLI_FRAME, 'hex'));
    expect(lz4.toString()).toBe(repeated);
    const zstd = await codec(CompressionTypes.ZSTD).decompress(Buffer.from(ZSTD_CLI_FRAME, 'hex'));
    expect(zstd.toString()).toBe(repeated);
  });

  it('refuses to write zstd with a typed error', async () => {
    const writing = codec(CompressionTypes.ZSTD).compress({ buffer: Buffer.from('x') });
    await expect(writing).rejects.toBeInstanceOf(CompressionUnsupportedError);
    await expect(writing).rejects.toMatchObject({ code: StreamErrorCode.CompressionUnsupported });
  });

  it('names kafkajs compression numbers', () => {
    expect(compressionType('none')).toBe(CompressionTypes.None);
    expect(compressionType('gzip')).toBe(CompressionTypes.GZIP);
    expect(compressionType('snappy')).toBe(CompressionTypes.Snappy);
    expect(compressionType('lz4')).toBe(CompressionTypes.LZ4);
  });
});
