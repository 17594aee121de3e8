// Command handling: load → fold → authorise → decide → append with the expected revision, retrying
// only on a version conflict. Folded states are cached per stream: a cache hit appends without
// reading (one round trip), and a stale entry shows up as a conflict, which reloads and retries.
import { createHash } from 'node:crypto';
import { decideAdminMap } from '../domain/adminmap/decide.js';
import {
  ADMIN_MAP_COMMAND_TYPES,
  type AdminMapCommand,
  type AdminMapEvent,
  type AdminMapState,
  evolveAdminMap,
  initialAdminMapState,
} from '../domain/adminmap/map.js';
import { decideCapitalPlan, type ProjectRef, referencedProjects } from '../domain/capital/decide.js';
import {
  type CapitalEvent,
  type CapitalPlanState,
  evolveCapitalPlan,
  initialCapitalPlanState,
} from '../domain/capital/plan.js';
import { COMMANDS, type Command, decodeEvent, EVENT_VERSIONS, encodeData } from '../domain/catalog.js';
import type { IsoDate, IsoInstant } from '../domain/dates.js';
import {
  type DirectoryCommand,
  decideDirectory,
  directoryStreamOf,
  referencedEntity,
} from '../domain/directory/decide.js';
import {
  type DirectoryEvent,
  type DirectoryState,
  evolveDirectory,
  initialDirectoryState,
} from '../domain/directory/events.js';
import type { EventMetadata, Source } from '../domain/envelope.js';
import { ConflictError, isTiendoError, type TiendoError } from '../domain/errors.js';
import { resolveLegalBasis } from '../domain/legal.js';
import { decideProject } from '../domain/project/decide.js';
import type { ProjectEvent } from '../domain/project/events.js';
import { evolveProject, initialProjectState, type ProjectState } from '../domain/project/state.js';
import { ADMIN_MAP_STREAM, AGENCY_STREAM, capitalPlanStream, projectStream } from '../domain/streams.js';
import { canonicalJson } from '../store/hash.js';
import type { EventStore, Json, JsonObject, NewEvent, RecordedEvent } from '../store/port.js';
import { type AuthorizationPolicy, defaultPolicy } from './authorize.js';
import { newIdFactory } from './ids.js';
import { type ParsedCommand, parseCommand } from './parse.js';
import { StateCache } from './state-cache.js';

export interface CommandHandlerDeps {
  readonly store: EventStore;
  readonly clock?: () => Date;
  /** Event and command ids; defaults to a monotonic ULID factory (fast, sortable). */
  readonly newId?: () => string;
  readonly authorize?: AuthorizationPolicy;
  /** Attempts after a version conflict before giving up with CONFLICT. */
  readonly maxRetries?: number;
  /** Streams whose folded state is kept in memory; 0 disables the cache. */
  readonly cacheSize?: number;
  /**
   * Called with a command the authorisation refused (FORBIDDEN), before the refusal is thrown: where an
   * edge keeps its denials (the CLI's; the API keeps its own per request). Must not throw.
   */
  readonly onDenied?: (command: Command, error: TiendoError) => Promise<void>;
}

export interface CommandResult {
  readonly commandId: string;
  readonly stream: string;
  readonly nextExpectedRevision: number;
  readonly events: readonly RecordedEvent[];
  /** True when this command id had been applied before: nothing was written now. */
  readonly duplicate: boolean;
}

interface Loaded<S> {
  readonly state: S;
  readonly revision: number;
}

type AnyState = ProjectState | CapitalPlanState | AdminMapState | DirectoryState;

export class CommandHandler {
  private readonly store: EventStore;
  private readonly clock: () => Date;
  private readonly newId: () => string;
  private readonly authorize: AuthorizationPolicy;
  private readonly maxRetries: number;
  private readonly cache: StateCache<AnyState>;
  private readonly onDenied: CommandHandlerDeps['onDenied'];

  constructor(deps: CommandHandlerDeps) {
    this.store = deps.store;
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? newIdFactory();
    this.authorize = deps.authorize ?? defaultPolicy;
    this.maxRetries = deps.maxRetries ?? 5;
    this.cache = new StateCache(deps.cacheSize ?? 10_000);
    this.onDenied = deps.onDenied;
  }

  /** Parses raw input (JSON from any edge) and executes it. */
  handle(raw: unknown, source: Source = 'api'): Promise<CommandResult> {
    const parsed = parseCommand(raw, {
      recordedAt: this.clock().toISOString() as IsoInstant,
      source,
      newCommandId: this.newId,
    });
    return this.execute(parsed);
  }

  async execute({ command, expectedRevision, clientCommandId }: ParsedCommand): Promise<CommandResult> {
    const stream = streamOf(command);
    const commandHash = clientCommandId ? hashCommand(command) : undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        const loaded = await this.load(stream, attempt > 0);
        const { events, family } = await this.decide(command, loaded.state);
        const result = await this.store.append(stream, this.toNewEvents(command, events, family), {
          expectedRevision: expectedRevision ?? (loaded.revision < 0 ? 'no_stream' : loaded.revision),
          // Only an id the client chose can come back in a retry; ours are unique and need no record.
          ...(clientCommandId && { commandId: command.meta.commandId, commandHash }),
        });
        if (result.duplicate) this.cache.delete(stream);
        else
          this.cache.set(stream, {
            state: fold(stream, loaded.state, events, command.meta.effectiveAt),
            revision: result.nextExpectedRevision,
          });
        return { commandId: command.meta.commandId, ...result };
      } catch (error) {
        this.cache.delete(stream);
        const retryable = error instanceof ConflictError && error.reason === 'WRONG_EXPECTED_REVISION';
        if (retryable && expectedRevision === undefined && attempt < this.maxRetries) continue;
        // A retried command the state now refuses (e.g. a milestone it completed) answers with its first result.
        if (clientCommandId && isTiendoError(error) && error.code !== 'CONFLICT') {
          const earlier = await this.store.findCommand(command.meta.commandId);
          if (earlier) return { commandId: command.meta.commandId, ...earlier, duplicate: true };
        }
        if (this.onDenied && isTiendoError(error) && error.code === 'FORBIDDEN')
          await this.onDenied(command, error);
        throw error;
      }
    }
  }

  /** A project's folded state and revision (NOT_FOUND is for decide to say; this returns 'none'). */
  async loadProject(projectId: string): Promise<Loaded<ProjectState>> {
    return (await this.load(projectStream(projectId), false)) as Loaded<ProjectState>;
  }

  private async load(stream: string, fresh: boolean): Promise<Loaded<AnyState>> {
    const cached = fresh ? undefined : this.cache.get(stream);
    if (cached) return cached;
    const recorded = await this.store.readStream(stream);
    let state: AnyState = initialStateOf(stream);
    for (const e of recorded) {
      const domain = decodeEvent(e.type, e.schemaVersion, e.data);
      state = fold(
        stream,
        state,
        [domain as DomainEvent],
        (e.metadata as { effectiveAt: IsoDate }).effectiveAt,
      );
    }
    const loaded = { state, revision: recorded.length - 1 };
    this.cache.set(stream, loaded);
    return loaded;
  }

  private async decide(command: Command, state: AnyState) {
    const { actor } = command.meta;
    const agency = async () => {
      const a = (await this.load(`${AGENCY_STREAM}-${actor.agencyId}`, false)).state;
      return 'entity' in a && a.entity === 'agency' && a.adminUnit !== undefined
        ? { adminUnit: a.adminUnit }
        : {};
    };
    if (isAdminMap(command)) {
      await this.authorize({ actor, command });
      // Reference data is not decided under an investment law; its events name the public-investment
      // regime in force on their date, and their own act (a resolution) travels as the document.
      const events = decideAdminMap(command, state as AdminMapState);
      return { events: events as DomainEvent[], family: 'public' as const };
    }
    if (isDirectory(command)) {
      await this.authorize({ actor, command });
      const ref = referencedEntity(command);
      const referenced = ref ? ((await this.load(ref, false)).state as DirectoryState) : undefined;
      const events = decideDirectory(command, state as DirectoryState, referenced ? { referenced } : {});
      // Reference data is not governed by an investment law; its events name the regime in force.
      return { events: events as DomainEvent[], family: 'nonState' as const };
    }
    if (isCapital(command)) {
      await this.authorize({ actor, command });
      const projects = new Map<string, ProjectRef>();
      for (const id of referencedProjects(command)) {
        const p = (await this.loadProject(id)).state;
        if (p.family !== 'none') projects.set(id, { family: p.family, phase: p.phase });
      }
      return {
        events: decideCapitalPlan(command, state as CapitalPlanState, { projects }) as DomainEvent[],
        family: 'public' as const,
      };
    }
    const project = state as ProjectState;
    await this.authorize({ actor, command, project, agency });
    const events = decideProject(command, project);
    const family =
      project.family !== 'none'
        ? project.family
        : command.type === 'RegisterProject'
          ? command.data.family
          : 'nonState';
    return { events: events as DomainEvent[], family };
  }

  private toNewEvents(
    command: Command,
    events: readonly DomainEvent[],
    family: 'nonState' | 'public',
  ): NewEvent[] {
    const { meta } = command;
    const metadata: EventMetadata = {
      actor: meta.actor,
      commandId: meta.commandId,
      commandType: command.type,
      correlationId: meta.correlationId ?? meta.commandId,
      causationId: meta.causationId ?? meta.commandId,
      recordedAt: meta.recordedAt,
      effectiveAt: meta.effectiveAt,
      legalBasis: resolveLegalBasis(family, meta.effectiveAt, meta.regime, meta.document),
      source: meta.source,
      ...(meta.override && { override: meta.override }),
    };
    const encodedMeta = encodeData(metadata) as JsonObject;
    return events.map((e) => ({
      id: this.newId(),
      type: e.type,
      schemaVersion: EVENT_VERSIONS[e.type],
      data: encodeData(e.data) as JsonObject,
      metadata: encodedMeta,
    }));
  }
}

type DomainEvent = ProjectEvent | CapitalEvent | AdminMapEvent | DirectoryEvent;

const CAPITAL_TYPES = new Set<string>([
  'AssignAnnualCapitalPlan',
  'AdjustAnnualCapitalPlan',
  'AllocateCapital',
  'ReallocateCapital',
  'DisburseCapital',
  'ExtendDisbursementPeriod',
]);
const isCapital = (c: Command): c is Extract<Command, { data: { year: number } }> =>
  CAPITAL_TYPES.has(c.type);
const isProjectStream = (stream: string) => stream.startsWith('project-');
const ADMIN_MAP_TYPES = new Set<string>(ADMIN_MAP_COMMAND_TYPES);
const isAdminMap = (c: Command): c is AdminMapCommand => ADMIN_MAP_TYPES.has(c.type);
const isCapitalStream = (stream: string) => stream.startsWith('capitalplan-');
const isDirectory = (c: Command): c is DirectoryCommand => COMMANDS[c.type].aggregate === 'directory';

const initialStateOf = (stream: string): AnyState =>
  isProjectStream(stream)
    ? initialProjectState
    : stream === ADMIN_MAP_STREAM
      ? initialAdminMapState
      : isCapitalStream(stream)
        ? initialCapitalPlanState
        : initialDirectoryState;

export function streamOf(command: Command): string {
  if (isAdminMap(command)) return ADMIN_MAP_STREAM;
  if (isDirectory(command)) return directoryStreamOf(command);
  return isCapital(command)
    ? capitalPlanStream(command.data.province, command.data.year)
    : projectStream(command.data.projectId);
}

function fold(
  stream: string,
  state: AnyState,
  events: readonly DomainEvent[],
  effectiveAt: IsoDate,
): AnyState {
  let s = state;
  for (const e of events) {
    s = isProjectStream(stream)
      ? evolveProject(s as ProjectState, e as ProjectEvent, { effectiveAt })
      : stream === ADMIN_MAP_STREAM
        ? evolveAdminMap(s as AdminMapState, e as AdminMapEvent, { effectiveAt })
        : isCapitalStream(stream)
          ? evolveCapitalPlan(s as CapitalPlanState, e as CapitalEvent)
          : evolveDirectory(s as DirectoryState, e as DirectoryEvent);
  }
  return s;
}

/** What makes two submissions "the same command": everything the client said, not when it arrived. */
export function hashCommand(c: Command): string {
  const { actor, effectiveAt, regime, document, override } = c.meta;
  const content = encodeData({
    type: c.type,
    data: c.data,
    actor,
    effectiveAt,
    regime,
    document,
    override,
  }) as Json;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
