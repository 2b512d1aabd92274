import { decodeModel, traceGates, type LayerGates, type RecurrentModel } from '@rnnflow/cells';
import type { RedisConnection } from '@rnnflow/redis';
import { ModelRegistry } from '@rnnflow/registry';
import { StateStore, type PartitionScope, type Precision, type StateRecord } from '@rnnflow/state';
import { partitionName } from '@rnnflow/stream';
import { StateInspectError } from './state.inspect.errors.js';

export interface InspectRequest {
  model: string;
  key: string;
  /** Look in this input topic only; default every topic. */
  topic?: string;
}

/** Norm and range of one state vector. */
export interface VectorSummary {
  layer: number;
  name: 'h' | 'c';
  norm: number;
  min: number;
  max: number;
}

/** Per replayed step: every layer's mean gate activations, and the model's outputs. */
export interface ReplayedStep {
  layers: Record<string, number>[];
  outputs: number[];
}

export interface InspectReport {
  model: string;
  key: string;
  scope: PartitionScope;
  /** Other partitions holding a state of the same key (another topic, or a repartitioning). */
  alsoIn: PartitionScope[];
  step: number;
  offset: number;
  modelVersion: number;
  /** Version whose weights replayed the inputs (the state's own, unless the registry dropped it). */
  replayVersion: number;
  updatedAt: string;
  precision: Precision;
  vectors: VectorSummary[];
  /** Layer types, bottom first, naming the gates of `replay`. */
  layers: string[];
  /** The kept inputs replayed from a zero state (the state before them is not stored). */
  replay: ReplayedStep[];
  /** Largest |replayed h or c − stored h or c| after the last input; 0 when the window holds every input. */
  replayStateDifference: number | null;
}

const PRECISIONS: Precision[] = ['float32', 'float16'];

/** Reads one key's state (never changing it), summarises it and replays its kept inputs. */
export async function inspectState(
  redis: RedisConnection,
  request: InspectRequest,
): Promise<InspectReport> {
  const registry = new ModelRegistry(redis);
  const activeVersion = await registry.requireActiveVersion(request.model);
  const active = decodeModel(await registry.artefact(request.model, activeVersion));
  const stores = PRECISIONS.map((precision) => storeFor(redis, request.model, active, precision));
  const scopes = await stores[0].lifecycle.locate(request.key, request.topic);
  if (scopes.length === 0) {
    throw new StateInspectError(
      'STATE_UNKNOWN_KEY',
      `no state of key "${request.key}" for model ${request.model}` +
        `${request.topic ? ` on topic ${request.topic}` : ''} in Redis: check the key, the model name` +
        ' and the Redis URL; a key gets a state at its first event and loses it on its TTL',
    );
  }
  const found = await readNewest(stores, scopes, request.key);
  const { record, precision } = found;
  const model = await replayModel(registry, request.model, record.modelVersion, {
    recurrent: active,
    version: activeVersion,
  });
  const inputs = record.recentInputs ?? [];
  const replay = replaySteps(model.recurrent, inputs);
  return {
    model: request.model,
    key: request.key,
    scope: found.scope,
    alsoIn: scopes.filter((scope) => scope !== found.scope),
    step: record.step,
    offset: record.offset,
    modelVersion: record.modelVersion,
    replayVersion: model.version,
    updatedAt: new Date(record.updatedAtMs).toISOString(),
    precision,
    vectors: summarizeVectors(model.recurrent, record),
    layers: model.recurrent.architecture.layers.map((layer) => layer.type),
    replay: replay.steps,
    replayStateDifference:
      inputs.length === 0 ? null : maxDifference(replay.finalState, record.vectors),
  };
}

function storeFor(
  redis: RedisConnection,
  name: string,
  model: RecurrentModel,
  precision: Precision,
): StateStore {
  return new StateStore({
    connection: redis,
    model: {
      name,
      fingerprint: model.fingerprint,
      layout: model.stateLayout.vectors.map((vector) => vector.length),
    },
    precision,
    // Inspecting never deletes: an unreadable record is reported, not reset.
    onCorrupt: 'report',
  });
}

/** The key's most recently updated readable state over its partitions, in whichever precision. */
async function readNewest(
  stores: StateStore[],
  scopes: PartitionScope[],
  key: string,
): Promise<{ record: StateRecord; precision: Precision; scope: PartitionScope }> {
  let newest: { record: StateRecord; precision: Precision; scope: PartitionScope } | undefined;
  const problems: string[] = [];
  for (const scope of scopes) {
    for (const [index, store] of stores.entries()) {
      const [read] = await store.readStates(scope, [key]);
      if (read.status === 'found') {
        if (!newest || read.record.updatedAtMs > newest.record.updatedAtMs) {
          newest = { record: read.record, precision: PRECISIONS[index], scope };
        }
        break;
      }
      if (read.status === 'corrupt' && read.reason !== 'foreign-precision') {
        problems.push(
          `${partitionName(scope.topic, scope.partition)}: ${read.reason} (${read.message})`,
        );
        break;
      }
    }
  }
  if (!newest || newest.record.ended) {
    throw new StateInspectError(
      'STATE_UNREADABLE',
      newest
        ? `key "${key}" ended its sequence (a tombstone): its next event starts afresh`
        : `the state of key "${key}" cannot be read with the active version's architecture: ${problems.join('; ')}`,
    );
  }
  return newest;
}

interface VersionedModel {
  recurrent: RecurrentModel;
  version: number;
}

/** The state's own version, or the active one (same architecture) when the registry dropped it. */
async function replayModel(
  registry: ModelRegistry,
  name: string,
  version: number,
  active: VersionedModel,
): Promise<VersionedModel> {
  if (version === active.version) return active;
  try {
    const own = decodeModel(await registry.artefact(name, version));
    if (own.fingerprint === active.recurrent.fingerprint) return { recurrent: own, version };
  } catch {
    // Pruned from the registry (or unreadable): the active version replays instead.
  }
  return active;
}

function summarizeVectors(model: RecurrentModel, record: StateRecord): VectorSummary[] {
  return model.stateLayout.vectors.map((vector, index) => {
    const values = record.vectors[index];
    let squares = 0;
    for (const value of values) squares += value * value;
    return {
      layer: vector.layer,
      name: vector.name,
      norm: Math.sqrt(squares),
      min: Math.min(...values),
      max: Math.max(...values),
    };
  });
}

const mean = (values: Float64Array) =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

function gateMeans(gates: LayerGates): Record<string, number> {
  const { type: _type, ...vectors } = gates;
  return Object.fromEntries(Object.entries(vectors).map(([name, values]) => [name, mean(values)]));
}

/** The gates (traceGates) and the serving kernels' outputs of each kept input, from zero state. */
function replaySteps(
  model: RecurrentModel,
  inputs: readonly Float32Array[],
): { steps: ReplayedStep[]; finalState: Float32Array } {
  const traced = traceGates(model, inputs);
  const stepper = model.createStepper(1);
  const state = model.createStates(1);
  const outputs = new Float32Array(model.outputSize);
  const steps = inputs.map((input, t) => {
    stepper.step(input.subarray(0, model.inputSize), state, 1, outputs);
    return { layers: traced[t].layers.map(gateMeans), outputs: Array.from(outputs) };
  });
  return { steps, finalState: state };
}

function maxDifference(packed: Float32Array, vectors: readonly Float32Array[]): number {
  let worst = 0;
  let offset = 0;
  for (const vector of vectors) {
    vector.forEach((value, j) => {
      worst = Math.max(worst, Math.abs(value - packed[offset + j]));
    });
    offset += vector.length;
  }
  return worst;
}
