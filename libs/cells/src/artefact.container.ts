import { createHash } from 'node:crypto';
import { ArtefactError } from './cells.errors.js';

/**
 * The binary container of a model artefact, all integers little-endian:
 *
 * | bytes      | content                                                        |
 * |------------|----------------------------------------------------------------|
 * | 0..4       | magic `RNNF`                                                   |
 * | 4..6       | format version (u16), currently 1                              |
 * | 6..8       | flags (u16), 0                                                 |
 * | 8..12      | header length H in bytes (u32)                                 |
 * | 12..16     | weights length W in bytes (u32)                                |
 * | 16..16+H   | header, UTF-8 JSON, space-padded so the weights are 4-aligned  |
 * | ..+W       | weights, float32 little-endian                                 |
 * | last 32    | SHA-256 of every byte before it                                |
 *
 * The lengths sit in the fixed preamble so a truncated file is told apart from a corrupted one
 * before the JSON is trusted.
 */
const MAGIC = 'RNNF';
const FORMAT_VERSION = 1;
const PREAMBLE = 16;
const DIGEST = 32;

/** Header and weight bytes of a container whose integrity has been checked. */
export interface ContainerParts {
  readonly header: unknown;
  readonly weights: Uint8Array;
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** Wraps a header (any JSON value) and raw weight bytes into a checksummed container. */
export function encodeContainer(header: unknown, weights: Uint8Array): Uint8Array {
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padding = (4 - ((PREAMBLE + json.length) % 4)) % 4;
  if (padding > 0) json = Buffer.concat([json, Buffer.alloc(padding, 0x20)]);
  const bytes = new Uint8Array(PREAMBLE + json.length + weights.length + DIGEST);
  const view = new DataView(bytes.buffer);
  bytes.set(Buffer.from(MAGIC, 'ascii'), 0);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, json.length, true);
  view.setUint32(12, weights.length, true);
  bytes.set(json, PREAMBLE);
  bytes.set(weights, PREAMBLE + json.length);
  const end = bytes.length - DIGEST;
  bytes.set(sha256(bytes.subarray(0, end)), end);
  return bytes;
}

/**
 * Checks magic, version, lengths and checksum, then parses the header JSON.
 * @throws ArtefactError `ARTEFACT_TRUNCATED`, `ARTEFACT_BAD_MAGIC`, `ARTEFACT_VERSION`,
 *   `ARTEFACT_TRAILING_BYTES`, `ARTEFACT_CHECKSUM` or `ARTEFACT_HEADER`.
 */
export function decodeContainer(bytes: Uint8Array): ContainerParts {
  if (bytes.length < PREAMBLE + DIGEST) {
    throw new ArtefactError(
      'ARTEFACT_TRUNCATED',
      `artefact is ${bytes.length} bytes, shorter than an empty container (${PREAMBLE + DIGEST}); the file is truncated or not an artefact`,
    );
  }
  const magic = Buffer.from(bytes.subarray(0, 4)).toString('latin1');
  if (magic !== MAGIC) {
    throw new ArtefactError(
      'ARTEFACT_BAD_MAGIC',
      `artefact starts with ${JSON.stringify(magic)}, not ${JSON.stringify(MAGIC)}: not an rnnflow model (a tfjs model.json needs the tfjs importer)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== FORMAT_VERSION) {
    throw new ArtefactError(
      'ARTEFACT_VERSION',
      `artefact format version ${version} is not supported (this library reads version ${FORMAT_VERSION}); upgrade @rnnflow/cells or re-export the model`,
    );
  }
  const headerLength = view.getUint32(8, true);
  const weightsLength = view.getUint32(12, true);
  const expected = PREAMBLE + headerLength + weightsLength + DIGEST;
  if (bytes.length < expected) {
    throw new ArtefactError(
      'ARTEFACT_TRUNCATED',
      `artefact is ${bytes.length} bytes but its preamble announces ${expected}: truncated (interrupted write or download)`,
    );
  }
  if (bytes.length > expected) {
    throw new ArtefactError(
      'ARTEFACT_TRAILING_BYTES',
      `artefact has ${bytes.length - expected} unexpected bytes after its checksum`,
    );
  }
  const end = expected - DIGEST;
  if (!sha256(bytes.subarray(0, end)).equals(bytes.subarray(end))) {
    throw new ArtefactError(
      'ARTEFACT_CHECKSUM',
      'artefact checksum (SHA-256) does not match its content: the bytes were corrupted; fetch or export it again',
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(
      Buffer.from(bytes.subarray(PREAMBLE, PREAMBLE + headerLength)).toString('utf8'),
    );
  } catch (cause) {
    throw new ArtefactError('ARTEFACT_HEADER', 'artefact header is not valid JSON', { cause });
  }
  return { header, weights: bytes.subarray(PREAMBLE + headerLength, end) };
}
