// Type declarations of the codec packages, which ship none; referenced (not only listed in
// tsconfig) so that every program compiling this file, such as test/, sees them.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./vendor.d.ts" />
import { decompress as zstdDecompress } from 'fzstd';
import kafkajs from 'kafkajs';
import createSnappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';
import { CompressionUnsupportedError } from './stream.errors.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;

/** Codec names rnnflow producers may compress with (zstd is read-only, see below). */
export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4';

/** A kafkajs codec: `compress` gets kafkajs's encoder, whose `buffer` holds the record bytes. */
interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** LZ4 frame format (Kafka ≥ 0.10 record batches), via the pure-JS lz4js. */
const lz4Codec = (): KafkaCodec => ({
  async compress(encoder) {
    return asBuffer(lz4.compress(encoder.buffer));
  },
  async decompress(buffer) {
    return asBuffer(lz4.decompress(buffer));
  },
});

/**
 * zstd, read-only: fzstd is a pure-JS decompressor, and no pure-JS zstd compressor is mature
 * enough to rely on. Records other producers compressed with zstd are read; asking rnnflow to
 * write zstd fails with a clear error instead of sending something unreadable.
 */
const zstdCodec = (): KafkaCodec => ({
  async compress() {
    throw new CompressionUnsupportedError('zstd');
  },
  async decompress(buffer) {
    return asBuffer(zstdDecompress(buffer));
  },
});

/**
 * Registers snappy (raw and xerial-framed), lz4 and zstd (read-only) with kafkajs, whose
 * registry is process-wide; gzip is built in. Safe to call more than once. Without this a
 * consumer fails on the first batch another producer compressed with one of these codecs.
 */
export function registerCompressionCodecs(): void {
  const codecs = CompressionCodecs as unknown as Record<number, () => KafkaCodec>;
  codecs[CompressionTypes.Snappy] = createSnappyCodec;
  codecs[CompressionTypes.LZ4] = lz4Codec;
  codecs[CompressionTypes.ZSTD] = zstdCodec;
}

/** The kafkajs compression number of a codec name. */
export function compressionType(compression: Compression): number {
  switch (compression) {
    case 'none':
      return CompressionTypes.None;
    case 'gzip':
      return CompressionTypes.GZIP;
    case 'snappy':
      return CompressionTypes.Snappy;
    case 'lz4':
      return CompressionTypes.LZ4;
  }
}
