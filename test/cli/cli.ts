// Drives the real `tiendo` process (bin/tiendo.mjs) the way a user or a script does, and the raw
// command JSON the CLI specs send.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { raw, registerNonState } from '../support/fixtures.js';

const BIN = fileURLToPath(new URL('../../bin/tiendo.mjs', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** DATABASE_URL for the child; omitted means none (the embedded default). */
  readonly databaseUrl?: string;
  readonly input?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything printed so far. */
  readonly output: () => CliRun;
  readonly done: Promise<CliRun>;
}

/** Starts `tiendo` and returns at once; `done` settles when it exits. */
export function startTiendo(args: readonly string[], options: CliOptions = {}): CliProcess {
  const env: Record<string, string | undefined> = { ...process.env };
  // Only what the spec says: neither the runner's database nor its data directory leaks in.
  delete env.DATABASE_URL;
  delete env.TIENDO_DATA_DIR;
  delete env.TIENDO_PG_PORT;
  Object.assign(env, options.env);
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const child = spawn(process.execPath, [BIN, ...args], {
    env,
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  child.stdin.end(options.input ?? '');
  return { child, output: () => ({ code: null, stdout, stderr }), done };
}

export const tiendo = (args: readonly string[], options: CliOptions = {}): Promise<CliRun> =>
  startTiendo(args, options).done;

export { actors } from '../support/fixtures.js';

const decision = { number: '12/QĐ-UBND', date: '2022-01-10', issuer: 'UBND tỉnh Cao Bằng' };

export const register = (projectId: string, commandId?: string) =>
  registerNonState(projectId, { document: decision, ...(commandId && { commandId }) });

export const planMilestone = (projectId: string, milestoneId: string, commandId?: string) =>
  raw(
    'PlanMilestone',
    { projectId, milestoneId, kind: 'constructionStart', name: 'Khởi công xây dựng', dueDate: '2022-09-01' },
    { effectiveAt: '2022-01-15', ...(commandId && { commandId }) },
  );

export const reportProgress = (projectId: string, physicalPercent: unknown, commandId?: string) =>
  raw(
    'ReportProgress',
    { projectId, period: '2022-02', physicalPercent, delayCauses: [] },
    { effectiveAt: '2022-03-01', ...(commandId && { commandId }) },
  );
