// A server killed with SIGKILL under load loses no acknowledged command. Eight clients send commands
// (each with its own command id) to a real `tiendo serve`; once enough were answered, the server is
// killed mid-flight and started again, three rounds. Clients retry what got no answer with the same
// command id. In the end every command that got a success answer is in the log exactly once (the
// events its answer named, no others), a repeated command gets its first answer's events back and
// writes nothing, and the read models equal a clean rebuild from the log.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planMilestone, register } from '../cli/cli.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
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

const CLIENTS = 8;
const ROUNDS = 3;
/** Answers a round waits for before the kill: enough that the kill lands among commands in flight. */
const ANSWERS_BEFORE_KILL = 40;
const NO_RATE_LIMIT = { TIENDO_RATE_LIMIT: '0' };

let db: FreshDatabase;
const servers: Served[] = [];
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  for (const s of servers) await s.kill9().catch(() => {});
  await db?.drop();
});

interface Sent {
  readonly commandId: string;
  readonly command: Record<string, unknown>;
  outcome: Outcome;
}

/** Client c's n-th command: a project registered, then milestones planned on it. */
function commandOf(c: number, n: number): Record<string, unknown> {
  const project = `K${c}P${Math.floor(n / 3)}`;
  const commandId = `kill9-c${c}-n${n}`;
  return n % 3 === 0 ? register(project, commandId) : planMilestone(project, `M${n % 3}`, commandId);
}

it('kill -9 under an 8-client load, three rounds: acknowledged commands are in the log exactly once', async () => {
  const sent: Sent[][] = Array.from({ length: CLIENTS }, () => []);
  let answered = 0;

  /** One client's round: its unanswered commands again (same id), then new ones, until no answer comes. */
  async function client(c: number, url: string): Promise<void> {
    const mine = sent[c] as Sent[];
    for (const s of mine.filter((x) => x.outcome.kind === 'unknown')) {
      s.outcome = await sendCommand(url, s.command);
      if (s.outcome.kind === 'unknown') return;
      answered++;
    }
    for (;;) {
      const command = commandOf(c, mine.length);
      const s: Sent = {
        commandId: command.commandId as string,
        command,
        outcome: { kind: 'unknown', why: '' },
      };
      mine.push(s);
      s.outcome = await sendCommand(url, command);
      if (s.outcome.kind === 'unknown') return;
      answered++;
    }
  }

  for (let round = 0; round < ROUNDS; round++) {
    const server = await serve(db.url, NO_RATE_LIMIT);
    servers.push(server);
    const start = answered;
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c, server.url));
    await until(() => answered - start >= ANSWERS_BEFORE_KILL, 120_000);
    await server.kill9();
    await Promise.all(clients);
  }

  // After the last kill: a server again, every unanswered command sent again with its id.
  const last = await serve(db.url, NO_RATE_LIMIT);
  servers.push(last);
  for (const s of sent.flat().filter((x) => x.outcome.kind === 'unknown')) {
    s.outcome = await sendCommand(last.url, s.command);
  }

  const all = sent.flat();
  expect(all.filter((s) => s.outcome.kind !== 'applied').map((s) => [s.commandId, s.outcome])).toEqual([]);
  // Some of those were retried after a kill without an answer: they count once all the same.
  for (const s of all) {
    const outcome = s.outcome as Extract<Outcome, { kind: 'applied' }>;
    expect(await eventsOfCommand(db.pool, s.commandId), s.commandId).toEqual(outcome.eventIds);
  }
  const acknowledged = all.reduce(
    (n, s) => n + (s.outcome.kind === 'applied' ? s.outcome.eventIds.length : 0),
    0,
  );
  // The project streams only: whatever else the log holds (a directory, say) is not these clients' doing.
  const projectEvents = async () =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE category = 'project'`))
      .rows[0]?.n;
  expect(await projectEvents()).toBe(acknowledged);

  // A client repeating a command it had an answer for: the same events, nothing written.
  for (const s of all.filter((_, i) => i % 7 === 0)) {
    const again = await sendCommand(last.url, s.command);
    expect(again).toEqual({ ...s.outcome, duplicate: true });
  }
  expect(await projectEvents()).toBe(acknowledged);

  await until(async () => (await lagging(db.pool)).length === 0);
  expect(await last.stop()).toBe(0);
  expect(await parkedCount(db.pool)).toBe(0);
  const followed = await readModels(db.pool);
  expect(await rebuilt(db.pool)).toEqual(followed);
});
