import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ModelFormatError } from './cells.errors.js';
import type { RecurrentModel } from './recurrent.model.js';
import type { TfjsModelJson } from './tfjs.format.js';
import { importTfjsArtifacts, type ImportOptions } from './tfjs.import.js';
import { parseModelJson, weightByteLength } from './tfjs.manifest.js';

/**
 * Largest `model.json` read. A Sequential topology with its manifest takes a few kB to a few
 * hundred kB; the cap keeps a hostile file from costing gigabytes of parsing.
 */
export const MAX_MODEL_JSON_BYTES = 4 * 1024 * 1024;

/**
 * Largest total of weight bytes read: the registry stores a version as one Redis string, and
 * Redis strings hold at most 512 MB.
 */
const MAX_WEIGHT_BYTES = 512 * 1024 * 1024;

/** The model folder, resolved once: every weight file must resolve inside it. */
interface ModelFolder {
  readonly real: string;
}

/**
 * Opens a file for reading and checks it is a regular file. `O_NONBLOCK` keeps opening a FIFO
 * from waiting for a writer; the check on the open handle (not on the path) refuses it, a
 * device or a directory before a byte is read.
 */
async function openRegular(
  file: string,
  shown: string,
): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    throw new ModelFormatError('IMPORT_IO', `cannot read ${shown}`, { cause });
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new ModelFormatError('IMPORT_IO', `${shown} is not a regular file`);
  }
  return { handle, size: stats.size };
}

/** Reads exactly `size` bytes, and refuses a file that holds more (it grew since the check). */
async function readExactly(handle: FileHandle, size: number, shown: string): Promise<Buffer> {
  const bytes = Buffer.alloc(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  const { bytesRead: extra } = await handle.read(Buffer.alloc(1), 0, 1, size);
  if (filled !== size || extra !== 0) {
    throw new ModelFormatError('IMPORT_IO', `${shown} changed while it was read`);
  }
  return bytes;
}

async function readModelJson(file: string): Promise<TfjsModelJson> {
  const { handle, size } = await openRegular(file, file);
  try {
    if (size > MAX_MODEL_JSON_BYTES) {
      throw new ModelFormatError(
        'IMPORT_INVALID_MODEL',
        `${file} holds ${size} bytes; a model.json may hold at most ${MAX_MODEL_JSON_BYTES}`,
      );
    }
    const text = (await readExactly(handle, size, file)).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new ModelFormatError('IMPORT_INVALID_MODEL', `${file} is not valid JSON`, { cause });
    }
    return parseModelJson(parsed, file);
  } finally {
    await handle.close();
  }
}

/**
 * Where a manifest path points, refused unless it stays inside the folder: no absolute path,
 * no `..`, no symbolic link that resolves outside. Checked on the text first, so that a path
 * meant to leave the folder is refused before the file system is asked anything about it.
 */
async function resolveInside(
  folder: ModelFolder,
  relative: string,
  where: string,
): Promise<string> {
  const outside = () =>
    new ModelFormatError(
      'IMPORT_INVALID_MODEL',
      `${where} "${relative}" leads outside the model folder; weight files must be inside it`,
    );
  const segments = relative.split(/[\\/]/);
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative) || segments.includes('..')) {
    throw outside();
  }
  let real: string;
  try {
    real = await realpath(path.join(folder.real, relative));
  } catch (cause) {
    throw new ModelFormatError('IMPORT_IO', `cannot read ${where} "${relative}"`, { cause });
  }
  if (!real.startsWith(folder.real + path.sep)) throw outside();
  return real;
}

interface ShardFile {
  readonly real: string;
  readonly shown: string;
}

/** Opens a group's shard files and checks their sizes add up to what its weights declare. */
async function readGroup(files: readonly ShardFile[], declared: number, where: string) {
  const opened: { handle: FileHandle; size: number; shown: string }[] = [];
  try {
    for (const file of files)
      opened.push({ ...(await openRegular(file.real, file.shown)), shown: file.shown });
    const total = opened.reduce((sum, file) => sum + file.size, 0);
    if (total !== declared) {
      throw new ModelFormatError(
        'IMPORT_WEIGHTS',
        `${where}: its files hold ${total} bytes but its weights declare ${declared}`,
      );
    }
    const shards: ArrayBuffer[] = [];
    for (const file of opened) {
      const bytes = await readExactly(file.handle, file.size, file.shown);
      shards.push(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      );
    }
    return shards;
  } finally {
    await Promise.all(opened.map((file) => file.handle.close()));
  }
}

/**
 * Loads a tfjs-layers model directory (`model.json` + weight shards), as written by tfjs
 * `model.save('file://dir')` or `tensorflowjs_converter` from a Keras Sequential model.
 *
 * The folder may come from anyone: `model.json` is read only if it is a regular file of at most
 * {@link MAX_MODEL_JSON_BYTES}; weight files only if they are regular files inside the folder
 * whose sizes are exactly what the manifest declares (at most {@link MAX_WEIGHT_BYTES} in all).
 * @param location the directory, or the path of its `model.json`.
 * @throws ModelFormatError (`IMPORT_IO`, `IMPORT_INVALID_MODEL`, `IMPORT_WEIGHTS`, …).
 */
export async function loadTfjsDirectory(
  location: string,
  options: ImportOptions = {},
): Promise<RecurrentModel> {
  const modelFile = location.endsWith('.json') ? location : path.join(location, 'model.json');
  const json = await readModelJson(modelFile);
  const folder: ModelFolder = { real: await realpath(path.dirname(modelFile)) };
  const declared = json.weightsManifest.map((group) =>
    group.weights.reduce((sum, spec) => sum + weightByteLength(spec), 0),
  );
  const total = declared.reduce((a, b) => a + b, 0);
  if (total > MAX_WEIGHT_BYTES) {
    throw new ModelFormatError(
      'IMPORT_WEIGHTS',
      `the manifest declares ${total} bytes of weights; at most ${MAX_WEIGHT_BYTES} can be imported`,
    );
  }
  const shards: ArrayBuffer[] = [];
  for (const [index, group] of json.weightsManifest.entries()) {
    const where = `weightsManifest[${index}]`;
    const files: ShardFile[] = [];
    for (const [n, relative] of group.paths.entries()) {
      const real = await resolveInside(folder, relative, `${where}.paths[${n}]`);
      files.push({ real, shown: path.join(path.dirname(modelFile), relative) });
    }
    shards.push(...(await readGroup(files, declared[index], where)));
  }
  return importTfjsArtifacts(
    {
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: shards,
      userDefinedMetadata: json.userDefinedMetadata,
    },
    options,
  );
}
