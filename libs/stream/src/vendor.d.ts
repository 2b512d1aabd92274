// Type declarations for the pure-JavaScript codec packages, which ship none. Only the calls
// compression.codecs.ts makes are declared.

declare module 'kafkajs-snappy' {
  /** kafkajs codec factory: snappy, reading both raw and xerial-framed (Java client) data. */
  const createSnappyCodec: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export default createSnappyCodec;
}

declare module 'lz4js' {
  /** Compresses to one LZ4 frame (the format Kafka uses from message format v1 on). */
  export function compress(source: Uint8Array): Uint8Array;
  /** Decompresses one LZ4 frame. */
  export function decompress(source: Uint8Array): Uint8Array;
}
