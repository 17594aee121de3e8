// PostgreSQL restarted under load: a `tiendo serve` on a PostgreSQL of its own (so that no other test
// loses its server) keeps running while the database goes away and comes back. Meanwhile /healthz
// answers, /readyz says unavailable, commands get UNAVAILABLE; afterwards /readyz is ready again,
// commands are applied again (those retried with their id exactly once) and the projection runner
// catches up by itself, with no restart of the server, ending where a clean rebuild of the log ends.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDatabase, openDatabase } from '../../src/infra/database.js';
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
import { PROJECTIONS } from '../../src/projections/index.js';
import { planMilestone, register } from '../cli/cli.js';
import {
  eventsOfCommand,
  lagging,
  type Outcome,
  parkedCount,
  readModels,
  rebuilt,
  type Served,
  sendCommand,
  serve,
  until,
} from './cluster.js';

const FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
let dataDir: string;
let port: number;
let postgres: EmbeddedServer | undefined;
let server: Served | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tiendo-restart-pg-'));
  port = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir, port, flags: FLAGS });
});
afterAll(async () => {
  await server?.kill9().catch(() => {});
  await postgres?.stop().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
});

const readyz = async (url: string) =>
  (await fetch(url.replace(/\/graphql$/, '/readyz')).catch(() => null))?.status;
const healthz = async (url: string) => (await fetch(url.replace(/\/graphql$/, '/healthz'))).status;

it('the server and its runner outlive a PostgreSQL restart under load, and readiness follows the database', async () => {
  const url = await createDatabase((postgres as EmbeddedServer).adminUrl, 'tiendo_restart');
  server = await serve(url);
  const s = server;
  await s.waitFor(
    new RegExp(
      `projections: leading ${PROJECTIONS.map((p) => p.name)
        .sort()
        .join(', ')}`,
    ),
  );
  expect(await readyz(s.url)).toBe(200);

  // Four clients keep sending until told to stop; a command without a verdict is sent again with its
  // id until it gets one.
  const answers: { at: 'before' | 'down' | 'after'; outcome: Outcome }[] = [];
  const final = new Map<string, Outcome>();
  let phase: 'before' | 'down' | 'after' = 'before';
  let stop = false;
  const send = async (command: Record<string, unknown>) => {
    for (;;) {
      const at = phase;
      const outcome = await sendCommand(s.url, command);
      answers.push({ at, outcome });
      if (outcome.kind !== 'unknown') return final.set(command.commandId as string, outcome);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const clients = Array.from({ length: 4 }, async (_, c) => {
    for (let n = 0; !stop; n++) {
      const project = `R${c}P${n}`;
      await send(register(project, `restart-${project}-r`));
      await send(planMilestone(project, 'M1', `restart-${project}-m`));
    }
  });
  const outcomes = answers;
  await until(() => outcomes.filter((o) => o.outcome.kind === 'applied').length >= 20);

  await (postgres as EmbeddedServer).stop();
  phase = 'down';
  await until(async () => (await readyz(s.url)) === 503);
  expect(await healthz(s.url)).toBe(200);
  await until(() => outcomes.some((o) => o.at === 'down' && o.outcome.kind === 'unknown'));

  postgres = await startEmbeddedPostgres({ dataDir, port, flags: FLAGS });
  await until(async () => (await readyz(s.url)) === 200);
  // The runner lost its leads with its lock connection and took them back by itself.
  await s.waitFor(/projections: following[^\n]*\n(.*\n)*projections: leading/);
  phase = 'after';
  await until(() => outcomes.filter((o) => o.at === 'after' && o.outcome.kind === 'applied').length >= 20);
  stop = true;
  await Promise.all(clients);

  expect(s.process.child.exitCode).toBeNull();
  // Every command, retried with its id through the outage, applied exactly once.
  expect([...final.values()].filter((o) => o.kind !== 'applied')).toEqual([]);
  const db = await openDatabase({ url });
  try {
    for (const [commandId, outcome] of final)
      expect(await eventsOfCommand(db.pool, commandId), commandId).toEqual(
        (outcome as Extract<Outcome, { kind: 'applied' }>).eventIds,
      );
    await until(async () => (await lagging(db.pool)).length === 0);
    expect(await s.stop()).toBe(0);
    expect(await parkedCount(db.pool)).toBe(0);
    const followed = await readModels(db.pool);
    expect(await rebuilt(db.pool)).toEqual(followed);
  } finally {
    await db.close();
  }
});
