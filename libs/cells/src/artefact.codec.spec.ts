import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from './artefact.codec.js';
import { decodeContainer, encodeContainer } from './artefact.container.js';
import { ArtefactError } from './cells.errors.js';
import type { RecurrentModel } from './recurrent.model.js';
import { randomModel } from './testing/model.fixture.js';
import { seededRandom } from '@rnnflow/random';
import { randomFloats, stepSequences } from './testing/tfjs.fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit arbitrary header fields
type Header = Record<string, any>;

const model = randomModel();
const bytes = encodeModel(model);

function outputsOf(m: RecurrentModel): Float32Array {
  const sequences = randomFloats(seededRandom(3), 4 * 10 * m.inputSize, 2);
  return stepSequences(m, sequences, { keys: 4, steps: 10 });
}

/** Re-encodes the artefact after `edit` changes its header or weights, with a valid checksum. */
function tampered(edit: (header: Header, weights: Float32Array) => void): Uint8Array {
  const { header, weights } = decodeContainer(bytes);
  const floats = new Float32Array(weights.slice().buffer);
  const copy = structuredClone(header) as Header;
  edit(copy, floats);
  return encodeContainer(copy, new Uint8Array(floats.buffer));
}

function refusal(artefact: Uint8Array): ArtefactError {
  try {
    decodeModel(artefact);
  } catch (error) {
    expect(error).toBeInstanceOf(ArtefactError);
    return error as ArtefactError;
  }
  throw new Error('the artefact was accepted');
}

describe('model artefact', () => {
  it('round-trips through bytes: same outputs, fingerprint, normalization, names, metadata', () => {
    const loaded = decodeModel(bytes);
    expect(loaded.fingerprint).toBe(model.fingerprint);
    expect(loaded.getConfig()).toEqual(model.getConfig());
    expect(outputsOf(loaded)).toEqual(outputsOf(model));
    expect(encodeModel(loaded)).toEqual(bytes);
  });

  it('has a fingerprint that ignores weights but not state-deciding choices', () => {
    const arch = model.architecture;
    expect(randomModel(arch, 99).fingerprint).toBe(model.fingerprint);
    const [lstm, gru, rnn] = arch.layers;
    const variants = [
      { ...arch, inputSize: 5 },
      { ...arch, layers: [{ ...lstm, units: 7 }, gru, rnn] },
      { ...arch, layers: [{ ...lstm, recurrentActivation: 'hardSigmoid' as const }, gru, rnn] },
      { ...arch, layers: [lstm, { ...gru, resetAfter: false }, rnn] },
      { ...arch, layers: [lstm, gru] },
    ];
    for (const variant of variants)
      expect(randomModel(variant).fingerprint).not.toBe(model.fingerprint);
  });

  it.each([
    ['truncated', () => bytes.subarray(0, bytes.length - 10), 'ARTEFACT_TRUNCATED', /truncated/],
    ['cut inside the preamble', () => bytes.subarray(0, 20), 'ARTEFACT_TRUNCATED', /truncated/],
    [
      'one weight byte flipped',
      () => flip(bytes, bytes.length - 40),
      'ARTEFACT_CHECKSUM',
      /corrupted/,
    ],
    ['one header byte flipped', () => flip(bytes, 30), 'ARTEFACT_CHECKSUM', /checksum/],
    [
      'not an artefact',
      () =>
        new TextEncoder().encode('{"modelTopology": {}, "padding": "..........................."}'),
      'ARTEFACT_BAD_MAGIC',
      /not an rnnflow model/,
    ],
    ['a future format version', () => withVersion(2), 'ARTEFACT_VERSION', /version 2/],
    [
      'bytes after the checksum',
      () => Uint8Array.from([...bytes, 0]),
      'ARTEFACT_TRAILING_BYTES',
      /1 unexpected byte/,
    ],
  ])('refuses an artefact %s', (_name, make, code, message) => {
    const error = refusal(make());
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.retriable).toBe(false);
  });

  it.each([
    [
      'a NaN weight',
      (_h: Header, w: Float32Array) => void (w[3] = NaN),
      'ARTEFACT_NOT_FINITE',
      /layers\/0\/kernel holds NaN/,
    ],
    [
      'an infinite weight',
      (_h: Header, w: Float32Array) => void (w[w.length - 1] = Infinity),
      'ARTEFACT_NOT_FINITE',
      /head\/bias holds Infinity/,
    ],
    [
      'a wrong weight shape',
      (h: Header) => void (h.weights[1].shape = [24, 6]),
      'ARTEFACT_SHAPE',
      /recurrent_kernel has shape \[24, 6\].*expected \[6, 24\]/,
    ],
    [
      'a missing weight',
      (h: Header) => void h.weights.pop(),
      'ARTEFACT_SHAPE',
      /head\/bias is missing/,
    ],
    [
      'a weight past the section',
      (h: Header) => void (h.weights[0].offset = 1e6),
      'ARTEFACT_SHAPE',
      /runs past/,
    ],
    [
      'an unknown layer type',
      (h: Header) => void (h.architecture.layers[1].type = 'conv1d'),
      'ARTEFACT_UNKNOWN_LAYER',
      /layers\[1\]\.type is "conv1d"/,
    ],
    [
      'an unknown activation',
      (h: Header) => void (h.architecture.layers[0].recurrentActivation = 'swish'),
      'ARTEFACT_UNKNOWN_ACTIVATION',
      /layers\[0\]\.recurrentActivation is "swish"/,
    ],
    [
      'an unknown head activation',
      (h: Header) => void (h.architecture.head.activation = 'gelu'),
      'ARTEFACT_UNKNOWN_ACTIVATION',
      /head\.activation/,
    ],
    [
      'zero units',
      (h: Header) => void (h.architecture.layers[2].units = 0),
      'ARTEFACT_INVALID',
      /layers\[2\]\.units/,
    ],
    [
      'five layers',
      (h: Header) => void h.architecture.layers.push(...h.architecture.layers.slice(0, 2)),
      'ARTEFACT_INVALID',
      /1\.\.4/,
    ],
    [
      'a zero std',
      (h: Header) => void (h.normalization.std[1] = 0),
      'ARTEFACT_INVALID',
      /std\[1\]/,
    ],
    [
      'a non-finite mean',
      (h: Header) => void (h.normalization.mean[0] = null),
      'ARTEFACT_NOT_FINITE',
      /mean/,
    ],
    [
      'too few output names',
      (h: Header) => void h.outputNames.pop(),
      'ARTEFACT_INVALID',
      /1 output names for 2 outputs/,
    ],
    [
      'a stale fingerprint',
      (h: Header) => void (h.fingerprint = 'abc'),
      'ARTEFACT_FINGERPRINT',
      /abc/,
    ],
    ['another format', (h: Header) => void (h.format = 'onnx'), 'ARTEFACT_HEADER', /format/],
  ])('refuses an intact artefact with %s', (_name, edit, code, message) => {
    const error = refusal(tampered(edit));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('refuses an intact artefact whose header is not JSON', () => {
    const raw = encodeContainer({ padding: 'xxxx' }, new Uint8Array(0));
    raw[16] = 0x5b; // '[' makes '[padding…' invalid JSON
    const end = raw.length - 32;
    raw.set(createHash('sha256').update(raw.subarray(0, end)).digest(), end);
    expect(refusal(raw).code).toBe('ARTEFACT_HEADER');
    expect(refusal(encodeContainer(null, new Uint8Array(0))).message).toMatch(
      /format "rnnflow-model"/,
    );
  });
});

function flip(source: Uint8Array, index: number): Uint8Array {
  const copy = source.slice();
  copy[index] ^= 0x10;
  return copy;
}

function withVersion(version: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint16(4, version, true);
  return copy;
}
