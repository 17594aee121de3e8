// A given/when/then harness for the deciders. Given past events (each with its effective date), when a
// client sends a command as JSON (parsed by the real edge parser, so money is a string of digits and
// dates are calendar dates), then the decider emits exactly these events, or refuses with this code.
//
//   projectSpec.given(history).when('PayDeposit', { projectId, amount: '500000000' }).thenEmits([...])
//   capitalSpec.given(plan, knownProjects({ P1: publicRef })).when(...).thenThrows({ code, reason })
import { expect } from 'vitest';
import type { z } from 'zod';
import { parseCommand } from '../../src/commands/parse.js';
import {
  type CapitalCommand,
  type CapitalPlanContext,
  type capitalCommandSchemas,
  decideCapitalPlan,
  type ProjectRef,
} from '../../src/domain/capital/decide.js';
import {
  type CapitalEvent,
  type CapitalEventType,
  type CapitalPlanState,
  capitalEventSchemas,
  evolveCapitalPlan,
  initialCapitalPlanState,
} from '../../src/domain/capital/plan.js';
import { type Command, decodeEvent, EVENT_VERSIONS, encodeData } from '../../src/domain/catalog.js';
import type { IsoDate, IsoInstant } from '../../src/domain/dates.js';
import { type ErrorCode, isTiendoError, type TiendoError, ValidationError } from '../../src/domain/errors.js';
import { type ProjectCommand, projectCommandSchemas } from '../../src/domain/project/commands.js';
import { decideProject } from '../../src/domain/project/decide.js';
import {
  type ProjectEvent,
  type ProjectEventType,
  projectEventSchemas,
} from '../../src/domain/project/events.js';
import { evolveProject, initialProjectState, type ProjectState } from '../../src/domain/project/state.js';

/** The acting official unless a spec says otherwise (Department of Finance, registration office). */
export const ACTOR = {
  userId: 'tran.thi.binh',
  agencyId: 'STC_CaoBang',
  role: 'registrationAuthority',
} as const;
/** The effective date of a command unless a spec says otherwise: after every fixture history. */
export const TODAY = '2024-03-01';

export interface CommandOptions {
  readonly effectiveAt?: string;
  /** The handler clock's instant; defaults to 09:00 UTC on the effective date. */
  readonly recordedAt?: string;
  readonly actor?: unknown;
  readonly regime?: string;
  readonly document?: unknown;
  readonly commandId?: string;
}

/** The JSON a client sends, and the instant the handler's clock stamps on it. */
export interface RawCommand {
  readonly json: Record<string, unknown>;
  readonly recordedAt: string;
}

export function rawCommand(type: string, data: unknown, options: CommandOptions = {}): RawCommand {
  const { recordedAt, ...envelope } = options;
  const effectiveAt = options.effectiveAt ?? TODAY;
  return {
    json: { type, commandId: 'cmd.spec', actor: ACTOR, ...envelope, effectiveAt, data },
    recordedAt: recordedAt ?? `${effectiveAt}T09:00:00.000Z`,
  };
}

/** Parses as the handler does; throws the parser's ValidationError on bad input. */
export function parse(raw: RawCommand): Command {
  return parseCommand(raw.json, {
    recordedAt: raw.recordedAt as IsoInstant,
    source: 'api',
    newCommandId: () => 'cmd.generated',
  }).command;
}

export interface ExpectedError {
  readonly code: ErrorCode;
  /** The stable finer reason, e.g. `PROJECT_TERMINATED` (a code without one reports the code). */
  readonly reason?: string;
  /** For VALIDATION: a field the error must name, e.g. `data.amount`. */
  readonly field?: string;
}

/** Runs `act` and checks that it fails with a typed tiendo error matching `expected`. */
export function expectError(act: () => unknown, expected: ExpectedError): TiendoError {
  let outcome: unknown;
  try {
    outcome = act();
  } catch (error) {
    if (!isTiendoError(error)) throw error;
    const fields = error instanceof ValidationError ? error.issues.map((i) => i.field) : [];
    const actual = {
      code: error.code,
      ...(expected.reason !== undefined && { reason: error.reason || error.code }),
      ...(expected.field !== undefined && {
        field: fields.includes(expected.field) ? expected.field : fields.join(' | ') || '(no field)',
      }),
    };
    expect(actual, error.message).toEqual(expected);
    return error;
  }
  return expect.unreachable(`expected ${JSON.stringify(expected)}, but it succeeded with ${show(outcome)}`);
}

const show = (value: unknown): string =>
  JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);

/** A domain event with the business date it took effect. */
export type Dated<E> = E & { readonly effectiveAt: string };

/** A project event in a `given` history, dated; its data goes through the event's schema as stored data would. */
export const on = <T extends ProjectEventType>(
  effectiveAt: string,
  type: T,
  data: z.input<(typeof projectEventSchemas)[T]>,
): Dated<ProjectEvent> =>
  ({ type, data: projectEventSchemas[type].parse(data), effectiveAt }) as Dated<ProjectEvent>;

interface Decider<C extends Command, E extends ProjectEvent | CapitalEvent, S, X> {
  readonly initialState: S;
  readonly evolve: (state: S, event: E, effectiveAt: IsoDate) => S;
  readonly decide: (command: C, state: S, context: X) => E[];
  readonly owns: (command: Command) => command is C;
}

/** Stored and read back: the JSON the store keeps (bigints as strings), decoded against the schema. */
export function roundTrip<E extends ProjectEvent | CapitalEvent>(event: E): E {
  const stored = JSON.parse(JSON.stringify(encodeData(event.data)));
  return decodeEvent(event.type, EVENT_VERSIONS[event.type], stored) as E;
}

/** A `given` event: project events must carry their effective date, capital events may. */
type GivenEvent<E> = E & { readonly effectiveAt?: string };

class Outcome<C extends Command, E extends ProjectEvent | CapitalEvent, S, X> {
  constructor(
    private readonly decider: Decider<C, E, S, X>,
    private readonly history: readonly GivenEvent<E>[],
    private readonly context: X,
    private readonly raw: RawCommand,
  ) {}

  private decide(): { events: E[]; state: S; command: C } {
    const { decider } = this;
    const state = this.history.reduce(
      (s, { effectiveAt, ...event }) =>
        decider.evolve(s, event as unknown as E, (effectiveAt ?? TODAY) as IsoDate),
      decider.initialState,
    );
    const command = parse(this.raw);
    if (!decider.owns(command)) throw new Error(`${command.type} is not a command of this decider`);
    return { events: decider.decide(command, state, this.context), state, command };
  }

  /** The command is accepted with exactly these events, each storable; returns the state after them. */
  thenEmits(expected: readonly E[]): S {
    const { events, state, command } = this.decide();
    expect(events).toEqual(expected);
    for (const e of events) expect(roundTrip(e), `${e.type} survives storage`).toEqual(e);
    return events.reduce((s, e) => this.decider.evolve(s, e, command.meta.effectiveAt), state);
  }

  /** The command is refused with this code (and reason, and field). */
  thenThrows(expected: ExpectedError): TiendoError {
    return expectError(() => this.decide().events, expected);
  }
}

function specOf<
  Schemas extends Record<string, z.ZodType>,
  C extends Command,
  E extends ProjectEvent | CapitalEvent,
  S,
  X,
  G extends GivenEvent<E>,
>(decider: Decider<C, E, S, X>, defaultContext: X) {
  const given = (
    history: readonly G[] = [],
    context: X = defaultContext,
  ): { when: When<Schemas, Outcome<C, E, S, X>> } => ({
    when: (first: string | RawCommand, data?: unknown, options?: CommandOptions) =>
      new Outcome(
        decider,
        history,
        context,
        typeof first === 'string' ? rawCommand(first, data, options) : first,
      ),
  });
  return { given };
}

/** `when(type, data, options?)` with data typed by the command's schema input, or `when(raw)` from a table. */
interface When<Schemas extends Record<string, z.ZodType>, O> {
  <T extends keyof Schemas & string>(type: T, data: z.input<Schemas[T]>, options?: CommandOptions): O;
  (command: RawCommand): O;
}

/** A capital-plan event in a `given` history, its data parsed by the event's schema. */
export const capitalEvent = <T extends CapitalEventType>(
  type: T,
  data: z.input<(typeof capitalEventSchemas)[T]>,
): CapitalEvent => ({ type, data: capitalEventSchemas[type].parse(data) }) as CapitalEvent;

const PROJECT_COMMANDS = new Set<string>(Object.keys(projectCommandSchemas));

export const projectSpec = specOf<
  typeof projectCommandSchemas,
  ProjectCommand,
  ProjectEvent,
  ProjectState,
  undefined,
  Dated<ProjectEvent>
>(
  {
    initialState: initialProjectState,
    evolve: (state, event, effectiveAt) => evolveProject(state, event, { effectiveAt }),
    decide: (command, state) => decideProject(command, state),
    owns: (c): c is ProjectCommand => PROJECT_COMMANDS.has(c.type),
  },
  undefined,
);

/** The projects a capital command may name, as the handler would have loaded them. */
export const knownProjects = (projects: Record<string, ProjectRef>): CapitalPlanContext => ({
  projects: new Map(Object.entries(projects)),
});

export const capitalSpec = specOf<
  typeof capitalCommandSchemas,
  CapitalCommand,
  CapitalEvent,
  CapitalPlanState,
  CapitalPlanContext,
  GivenEvent<CapitalEvent>
>(
  {
    initialState: initialCapitalPlanState,
    evolve: (state, event) => evolveCapitalPlan(state, event),
    decide: decideCapitalPlan,
    owns: (c): c is CapitalCommand => !PROJECT_COMMANDS.has(c.type),
  },
  knownProjects({}),
);
