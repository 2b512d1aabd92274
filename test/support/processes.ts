import { readdirSync, readFileSync } from 'node:fs';

/** What /proc says of a process: parent, state letter (`Z` = zombie) and command name. */
interface ProcessStat {
  pid: number;
  ppid: number;
  state: string;
  comm: string;
}

function readStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name sits in parentheses and may itself contain spaces or parentheses.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const [state, ppid] = text.slice(close + 2).split(' ');
  return { pid, ppid: Number(ppid), state, comm: text.slice(open + 1, close) };
}

function allProcesses(): ProcessStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcessStat => stat !== undefined);
}

/** Every live process below `rootPid` (children, grandchildren, …), with its command name. */
export function descendants(rootPid: number): { pid: number; comm: string }[] {
  const processes = allProcesses();
  const found: { pid: number; comm: string }[] = [];
  const parents = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const process of processes) {
      if (parents.has(process.ppid) && !parents.has(process.pid) && process.state !== 'Z') {
        parents.add(process.pid);
        found.push({ pid: process.pid, comm: process.comm });
        grew = true;
      }
    }
  }
  return found;
}

/** Live processes whose environment holds `name=value` (readable for our own user only). */
export function processesWithEnv(
  name: string,
  value: string,
): { pid: number; ppid: number; comm: string }[] {
  const entry = `${name}=${value}`;
  return allProcesses()
    .filter((process) => process.state !== 'Z')
    .filter((process) => {
      try {
        return readFileSync(`/proc/${process.pid}/environ`, 'utf8').split('\0').includes(entry);
      } catch {
        return false;
      }
    })
    .map(({ pid, ppid, comm }) => ({ pid, ppid, comm }));
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** Polls until none of `pids` is alive; returns those still alive after `timeoutMs`. */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
