// The authorisation matrix (src/domain/access.ts), tried cell by cell through the GraphQL API: for
// every role and every command, an allowed cell's command succeeds on an aggregate brought to a state
// where it is legal (its own project, or one in its own unit, for the roles so scoped), and a denied
// cell gets FORBIDDEN, writes no event, and leaves a row in access_denials saying who, what and why.
// The roles scoped to their own projects or unit are also tried on someone else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationName } from '../../src/api/schema/mutations.js';
import { ACCESS_MATRIX, type CommandScope } from '../../src/domain/access.js';
import { COMMANDS, type CommandType } from '../../src/domain/catalog.js';
import { ROLES, type Role } from '../../src/domain/envelope.js';
import { actorFor, actors, agencyUnits } from '../support/fixtures.js';
import { type Api, mutation, startApi } from './api.js';
import { RECIPES, type Step, type Target } from './matrix-recipes.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

const COMMAND_TYPES = Object.keys(COMMANDS) as CommandType[];
const BOARD = actors.board.agencyId;
const UNIT = agencyUnits[actors.commune.agencyId]!;
/** Someone else's: a project neither owned by any acting agency nor in the commune's unit. */
const FOREIGN = { ownerId: 'inv-nguoi-khac', adminUnit: 'Huyện Bảo Lạc' };

/** An actor of each role (the fixtures where they have one). */
const ACTOR_OF: Record<Role, { userId: string; agencyId: string; role: string }> = {
  administrator: actors.admin,
  registrationAuthority: actors.registrar,
  financeDepartment: actors.finance,
  environmentDepartment: actors.environment,
  constructionDepartment: actors.construction,
  communeCommittee: actors.commune,
  managementBoard: actors.board,
  projectOwner: actors.projectOwner,
  investor: actors.investor,
  inspector: actors.inspector,
  reviewer: actors.reviewer,
  supervisor: actors.supervisor,
  integration: actors.integration,
};

let seq = 0;
const day = (n: number) => new Date(Date.UTC(2022, 0, 10 + n)).toISOString().slice(0, 10);

/** The owner and unit a cell's project has so that the actor's scope holds. */
function targetFor(role: Role, scope: CommandScope | undefined): Target {
  const id = `MX${String(++seq).padStart(4, '0')}`;
  if (scope === 'ownProject') return { id, ownerId: ACTOR_OF[role].agencyId, adminUnit: 'Huyện Hòa An' };
  if (scope === 'ownUnit') return { id, ownerId: BOARD, adminUnit: UNIT };
  return { id, ownerId: BOARD, adminUnit: 'Huyện Hòa An' };
}

interface Outcome {
  readonly code?: string;
  readonly reason?: string;
  readonly wrote: number;
  /** The token a createApiToken returned. */
  readonly tokenId?: string;
}

/** Sends one step through its mutation as `actor`, dated `on`. */
async function send(
  s: Step,
  actor: { userId: string; agencyId: string; role: string },
  on: string,
): Promise<Outcome> {
  if (s.type === 'IssueApiToken') {
    const r = await api.gql<{ createApiToken: { tokenId: string } }>(
      'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { tokenId } }',
      { input: s.data },
      actor as never,
    );
    const e = r.errors?.[0]?.extensions;
    return e
      ? { code: e.code, reason: e.reason, wrote: 0 }
      : { wrote: 1, tokenId: r.data!.createApiToken.tokenId };
  }
  const r = await api.gql<Record<string, { events: unknown[] }>>(
    mutation(mutationName(s.type)),
    { input: { effectiveAt: on, data: s.data } },
    actor as never,
  );
  const e = r.errors?.[0]?.extensions;
  return e
    ? { code: e.code, reason: e.reason, wrote: 0 }
    : { wrote: r.data![mutationName(s.type)]!.events.length };
}

/** Brings the cell's aggregate to where its command is legal; returns the command and its date. */
async function prepare(type: CommandType, t: Target): Promise<{ command: Step; on: string }> {
  const steps = RECIPES[type].setup(t);
  let tokenId: string | undefined;
  for (const [i, s] of steps.entries()) {
    const by =
      ACCESS_MATRIX[actorFor(s.type).role].commands[s.type as CommandType] === 'any'
        ? actorFor(s.type)
        : actors.board;
    const r = await send(
      s,
      COMMANDS[s.type as CommandType].aggregate === 'directory' ? actors.admin : by,
      day(i),
    );
    if (r.code) throw new Error(`setup of ${type}: ${s.type} failed with ${r.code}/${r.reason}`);
    tokenId ??= r.tokenId;
  }
  let command = RECIPES[type].command(t);
  if (type === 'RevokeApiToken') command = { ...command, data: { ...command.data, tokenId } };
  return { command, on: day(steps.length) };
}

const eventCount = async () =>
  (await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
const denialCount = async () =>
  (await api.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM access_denials')).rows[0]!.n;

describe.each(ROLES.map((r) => [r]))('%s', (role) => {
  const rights = ACCESS_MATRIX[role];
  const actor = ACTOR_OF[role];

  it('every command the matrix allows succeeds, on its own scope', async () => {
    const allowed = COMMAND_TYPES.filter((t) => rights.commands[t]);
    const outcomes: Record<string, string> = {};
    for (const type of allowed) {
      const { command, on } = await prepare(type, targetFor(role, rights.commands[type]));
      const r = await send(command, actor, on);
      outcomes[type] = r.code ? `${r.code}/${r.reason}` : r.wrote > 0 ? 'applied' : 'wrote nothing';
    }
    expect(outcomes).toEqual(Object.fromEntries(allowed.map((t) => [t, 'applied'])));
  });

  it('every other command is FORBIDDEN, writes no event, and is recorded with who, what and why', async () => {
    const denied = COMMAND_TYPES.filter((t) => !rights.commands[t]);
    // A role that runs no command at all is read-only; the others are refused the command.
    const refusal =
      denied.length === COMMAND_TYPES.length ? 'READ_ONLY_ROLE' : 'COMMAND_NOT_ALLOWED_FOR_ROLE';
    // The target's state does not matter: authorisation comes before decide.
    const shared = { id: `MXD${role}`, ...FOREIGN };
    const events = await eventCount();
    const denials = await denialCount();
    const outcomes: Record<string, string> = {};
    for (const type of denied) {
      const r = await send(RECIPES[type].command(shared), actor, day(0));
      outcomes[type] = `${r.code}/${r.reason}`;
    }
    expect(outcomes).toEqual(Object.fromEntries(denied.map((t) => [t, `FORBIDDEN/${refusal}`])));
    expect(await eventCount()).toBe(events);
    expect(await denialCount()).toBe(denials + denied.length);
    if (denied.length > 0) {
      const { rows } = await api.db.pool.query(
        `SELECT user_id, agency_id, role, via, operation, command_type, reason FROM access_denials
         ORDER BY id DESC LIMIT 1`,
      );
      const last = denied.at(-1)!;
      expect(rows[0]).toEqual({
        user_id: actor.userId,
        agency_id: actor.agencyId,
        role,
        via: 'jwt',
        operation: `mutation ${last === 'IssueApiToken' ? 'createApiToken' : mutationName(last)}`,
        command_type: last,
        reason: refusal,
      });
    }
  });

  const scoped = COMMAND_TYPES.filter(
    (t) => rights.commands[t] === 'ownProject' || rights.commands[t] === 'ownUnit',
  );
  if (scoped.length > 0)
    it("a command scoped to its own projects or unit is FORBIDDEN on someone else's", async () => {
      // Someone else's project, registered by the registration authority: authorisation comes before
      // decide, so its phase does not matter, only whose it is and where.
      const foreign = { id: `MXF${role}`, ...FOREIGN };
      const registered = await send(RECIPES.RegisterProject.command(foreign), actors.registrar, day(0));
      expect(registered.code).toBeUndefined();
      const outcomes: Record<string, string> = {};
      const events = await eventCount();
      for (const type of scoped) {
        const target = type === 'RegisterProject' ? { ...foreign, id: `MXG${role}` } : foreign;
        const r = await send(RECIPES[type].command(target), actor, day(1));
        outcomes[type] = `${r.code}/${r.reason}`;
      }
      expect(await eventCount()).toBe(events);
      const why = (t: CommandType) => (rights.commands[t] === 'ownUnit' ? 'NOT_OWN_UNIT' : 'NOT_OWN_PROJECT');
      expect(outcomes).toEqual(Object.fromEntries(scoped.map((t) => [t, `FORBIDDEN/${why(t)}`])));
    });
});
