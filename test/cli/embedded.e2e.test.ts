// The CLI on a fresh machine: without DATABASE_URL it runs an embedded PostgreSQL with its data in
// ./.tiendo, started for each run and stopped at its end, also when the run is interrupted.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/infra/embedded-postgres.js';
import { planMilestone, register, startTiendo, tiendo } from './cli.js';

let dir: string;
let env: Record<string, string>;
const pgdata = () => join(dir, '.tiendo', 'pgdata');
const cli = (args: string[]) => tiendo(args, { cwd: dir, env });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tiendo-fresh-'));
  // mkdtemp makes it 0700; as root, the server runs as the `postgres` user, who must reach .tiendo/.
  await chmod(dir, 0o755);
  env = { TIENDO_PG_PORT: String(await freePort()) };
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('tiendo without DATABASE_URL', () => {
  it('creates its database in .tiendo/pgdata, migrates it, and stops the server when done', async () => {
    const r = await cli(['migrate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('database embedded (.tiendo/pgdata): applied');
    expect(existsSync(join(pgdata(), 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(pgdata(), 'postmaster.pid'))).toBe(false);
  });

  it('keeps what one run wrote for the next', async () => {
    expect((await cli(['command', JSON.stringify(register('EMB1', 'emb-1'))])).code).toBe(0);
    const r = await cli(['stream', 'EMB1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('project-EMB1: 1 event');
  });

  it('on SIGINT finishes the lines in flight, reports them, stops the server and exits 130', async () => {
    const fifo = join(dir, 'commands.pipe');
    execFileSync('mkfifo', [fifo]);
    const run = startTiendo(['import', fifo], { cwd: dir, env });
    const writer = createWriteStream(fifo);
    writer.write(`${JSON.stringify(planMilestone('EMB1', 'm1', 'emb-2'))}\n\n`);
    writer.write(`${JSON.stringify(planMilestone('EMB1', 'm2', 'emb-3'))}\n`);
    // The import waits for a line that never comes; its periodic progress line says both were applied.
    await until(() => run.output().stderr.includes('2 done: 2 applied'));
    run.child.kill('SIGINT');
    const r = await run.done;
    writer.destroy();
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/applied +2 \(2 events\)/);
    expect(r.stdout).toContain('stopped after line 3 (interrupted by a signal)');
    expect(existsSync(join(pgdata(), 'postmaster.pid'))).toBe(false);
    expect((await cli(['stream', 'EMB1'])).stdout).toContain('project-EMB1: 3 events');
  });
});

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
