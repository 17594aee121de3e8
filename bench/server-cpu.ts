// CPU time used by the PostgreSQL server, when it runs on this machine: the postmaster (found through
// data_directory/postmaster.pid) and its children, plus what finished children left in its cutime.
// This is how the benchmark tells the database's share of a phase from Node's.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';

/** Linux reports /proc times in clock ticks; 100 per second on every common kernel. */
const TICKS_PER_SECOND = 100;

/** A function returning the server's CPU milliseconds so far, or null when it cannot be seen. */
export async function serverCpuClock(pool: pg.Pool): Promise<(() => Promise<number>) | null> {
  try {
    const { rows } = await pool.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    const pidFile = await readFile(join(rows[0]!.dir, 'postmaster.pid'), 'utf8');
    const postmaster = Number(pidFile.split('\n')[0]);
    if (!Number.isInteger(postmaster) || !(await stat(postmaster))) return null;
    return () => serverCpuMs(postmaster);
  } catch {
    return null; // another machine, or not allowed to read the setting or the file
  }
}

async function serverCpuMs(postmaster: number): Promise<number> {
  let ticks = 0;
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = await stat(Number(name));
    if (!s) continue;
    if (s.pid === postmaster) ticks += s.utime + s.stime + s.cutime + s.cstime;
    else if (s.ppid === postmaster) ticks += s.utime + s.stime;
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
}

async function stat(pid: number): Promise<ProcStat | null> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!text) return null;
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(f[i - 3]);
  return { pid, ppid: n(4), utime: n(14), stime: n(15), cutime: n(16), cstime: n(17) };
}
