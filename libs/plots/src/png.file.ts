import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes PNG bytes to `file`, creating its folder when missing. */
export async function savePng(file: string, png: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, png);
}
