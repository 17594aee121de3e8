// One active projection runner per projection across server processes: two `tiendo serve` on one
// database, the first leads every projection and the second waits; the leader is killed with SIGKILL,
// the second takes the lead over by itself, and the read models end up exactly what a clean rebuild
// makes of the log — nothing missed across the takeover, nothing applied twice (a second application
// would collide with its own audit row and be parked).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandHandler } from '../../src/commands/handler.js';
import { PROJECTIONS } from '../../src/projections/index.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { planMilestone, register } from '../cli/cli.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { lagging, parkedCount, readModels, rebuilt, type Served, serve, until } from './cluster.js';

let db: FreshDatabase;
let store: PostgresEventStore;
const servers: Served[] = [];
beforeAll(async () => {
  db = await freshDatabase();
  store = new PostgresEventStore(db.pool);
});
afterAll(async () => {
  for (const s of servers) await s.kill9().catch(() => {});
  await store?.close();
  await db?.drop();
});

const ALL = PROJECTIONS.map((p) => p.name).sort();
const leadingAll = new RegExp(`projections: leading ${ALL.join(', ')}`);

/** Commands straight into the shared log: the runners follow the log, whoever wrote it. */
async function write(from: number, to: number): Promise<void> {
  const handler = new CommandHandler({ store });
  for (let i = from; i < to; i++) {
    const id = `LEAD${String(i).padStart(4, '0')}`;
    await handler.handle(register(id), 'cli');
    await handler.handle(planMilestone(id, 'M1'), 'cli');
  }
}

it('the second runner takes over when the leader is killed, with no gap and no double application', async () => {
  const a = await serve(db.url);
  servers.push(a);
  await a.waitFor(leadingAll);
  const b = await serve(db.url);
  servers.push(b);
  await b.waitFor(/projections: following/);
  expect(b.output()).not.toMatch(/projections: leading \w/);

  await write(0, 20);
  await until(async () => (await lagging(db.pool)).length === 0);

  // Killed between polls or inside a batch: either way its session ends and its locks are released.
  await write(20, 30);
  await a.kill9();
  await write(30, 50);
  await b.waitFor(leadingAll);
  await until(async () => (await lagging(db.pool)).length === 0);

  expect(await parkedCount(db.pool)).toBe(0);
  const followed = await readModels(db.pool);
  expect(followed.audit_trail).toHaveLength(100);
  expect(followed.project_status).toHaveLength(50);
  expect(await b.stop()).toBe(0);
  expect(await rebuilt(db.pool)).toEqual(followed);
});
