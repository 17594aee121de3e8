// What the queries read, behind one interface; resolvers only ever see these views.
// - project(id) folds the project's stream (the command handler's cached loadProject): a client reads
//   its own writes at once, without waiting for the projection runner.
// - projects, portfolioSummary and auditTrail read the read-model tables (project_status through the
//   portfolio_projects view, audit_trail): they answer as of the runner's last committed batch.
// - capitalPlan reads capital_plans when it holds the stream's head, else folds the stream (so it is
//   read-your-writes either way); the plan's audit trail reads capital_plan_audit
//   (capital-read-models.ts).
import type pg from 'pg';
import { ALERT_RULES } from '../alerts/rules.js';
import type { CommandHandler } from '../commands/handler.js';
import type { IsoDate } from '../domain/dates.js';
import { UnavailableError, ValidationError } from '../domain/errors.js';
import type { Dong } from '../domain/money.js';
import type { ExistingProject, Milestone, NonStateProject } from '../domain/project/state.js';
import { fromRecorded, verifyStream } from '../integrity/chain.js';
import type { Dossier } from '../integrity/dossier.js';
import { loadDossier } from '../integrity/dossier-load.js';
import {
  type MapEntryView,
  mapEntry,
  type SuccessionFilter,
  successionConditions,
} from '../projections/admin-map.js';
import {
  type PortfolioDimension,
  type PortfolioFilter,
  type PortfolioRow,
  portfolioSummary,
} from '../projections/portfolio.js';
import { stateFromJson } from '../projections/state-json.js';
import type { TimePoint } from '../projections/time-travel.js';
import type { EventStore, Json } from '../store/port.js';
import { capitalPlan, capitalPlanAudit } from './capital-read-models.js';
import { type Label, phaseLabel } from './labels.js';
import type { StreamHeadView, StreamVerificationView } from './schema/integrity.js';
import { type TimeTravelReads, timeTravelReads } from './time-travel-views.js';

/** What the Project type shows as the state holds it. */
type Common = Pick<
  ExistingProject,
  | 'phaseSince'
  | 'name'
  | 'code'
  | 'province'
  | 'adminUnit'
  | 'agencyId'
  | 'sector'
  | 'owner'
  | 'registeredOn'
  | 'proposedCapital'
  | 'suspension'
  | 'lastProgress'
>;

/** One project as the `Project` GraphQL type shows it. */
export interface ProjectView extends Common {
  readonly id: string;
  readonly family: 'nonState' | 'public';
  readonly phase: string;
  readonly phaseLabel: Label;
  readonly group?: string;
  readonly approvedCapital?: Dong;
  readonly registeredCapital?: Dong;
  readonly capitalContributed?: Dong;
  readonly totalInvestment?: Dong;
  readonly estimate?: Dong;
  readonly fundingAssigned?: Dong;
  readonly settledValue?: Dong;
  readonly completionDeadline?: IsoDate;
  readonly certificate?: NonStateProject['certificate'];
  readonly milestones: readonly Milestone[];
  readonly suspended: boolean;
  /** Revision of the project's stream the view reflects (for expectedRevision). */
  readonly revision: number;
  /** Capital from the annual plans when the view came from project_status (else asked of projectCapital). */
  readonly capital?: ProjectCapital;
  /** Set when the view is of a point in time (time travel): its capital is asked at the same point. */
  readonly at?: TimePoint;
}

/** A project's capital summed over the annual capital plans (project_status). */
export interface ProjectCapital {
  readonly allocated: Dong;
  readonly disbursed: Dong;
}

/** Filters of `projects`; every one given must hold. */
export interface ProjectFilter extends SuccessionFilter {
  readonly family?: 'nonState' | 'public';
  readonly phase?: string;
  /** Portfolio status (portfolio.ts): completedOperating, stopped, underConstruction, notStarted, terminated. */
  readonly status?: string;
  readonly province?: string;
  readonly adminUnit?: string;
  readonly agencyId?: string;
  readonly group?: string;
  readonly sector?: string;
  readonly suspended?: boolean;
  /** registered_on within [registeredFrom, registeredTo], both inclusive. */
  readonly registeredFrom?: string;
  readonly registeredTo?: string;
  /** Case-insensitive substring of the name or the code. */
  readonly text?: string;
  /** Read scope (src/api/scope.ts), never from the client: the owner's id, the commune or ward. */
  readonly scopeOwnerId?: string;
  readonly scopeUnit?: string;
}

/** A page of a Relay connection. */
export interface Page {
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface Connection<T> {
  readonly edges: readonly { readonly cursor: string; readonly node: T }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly totalCount: number;
}

export interface AuditEntryView {
  readonly eventId: string;
  readonly projectId: string;
  readonly revision: number;
  readonly type: string;
  readonly actor: { readonly userId: string; readonly agencyId: string; readonly role: string };
  readonly recordedAt: string;
  readonly effectiveAt: string;
  readonly document: {
    readonly number: string;
    readonly date: string | null;
    readonly issuer: string | null;
  } | null;
  readonly regime: string;
  readonly transitional: boolean;
  readonly commandId: string;
  readonly commandType: string;
  readonly correlationId: string;
  readonly source: string;
  readonly changes: readonly { readonly field: string; readonly before: Json; readonly after: Json }[];
}

export interface CapitalPlanView {
  readonly province: string;
  readonly year: number;
  readonly total: Dong;
  readonly allocated: Dong;
  readonly disbursed: Dong;
  readonly unallocated: Dong;
  /** allocated / total and disbursed / allocated, in [0, 1] (0 when the divisor is 0). */
  readonly allocationRate: number;
  readonly disbursementRate: number;
  readonly disbursementDeadline: IsoDate;
  readonly allocations: readonly {
    projectId: string;
    allocated: Dong;
    disbursed: Dong;
    disbursementRate: number;
  }[];
  /** Revision of the plan's stream shown. */
  readonly revision: number;
}

/** One capital plan event as its audit trail shows it. */
export interface CapitalPlanAuditEntryView extends Omit<AuditEntryView, 'projectId'> {
  readonly province: string;
  readonly year: number;
  /** The projects whose allocation or disbursement it moved. */
  readonly projectIds: readonly string[];
}

export interface AlertFilter {
  readonly status?: 'open' | 'closed';
  readonly ruleId?: string;
  readonly projectId?: string;
  readonly province?: string;
  readonly severity?: 'warning' | 'violation';
  /** The project's family. */
  readonly family?: 'nonState' | 'public';
  /** Read scope (src/api/scope.ts), never from the client: the owner's id, the commune or ward. */
  readonly scopeOwnerId?: string;
  readonly scopeUnit?: string;
}

/** One row of the alerts read model as the `Alert` GraphQL type shows it. */
export interface AlertView {
  readonly project: { readonly id: string; readonly name: string };
  readonly ruleId: string;
  readonly ruleLabel: Label;
  readonly key: string;
  readonly episode: number;
  readonly status: 'open' | 'closed';
  readonly severity: string;
  readonly regime: string;
  readonly article: string;
  readonly since: string;
  readonly openedAt: string;
  readonly closedOn: string | null;
  readonly closedReason: string | null;
  readonly closedByEventId: string | null;
  readonly reason: Label;
}

export interface OpenAlertBrief {
  readonly ruleId: string;
  readonly since: string;
}

export interface ReadModels {
  /** The project, or null when no such project was registered. */
  project(id: string): Promise<ProjectView | null>;
  projects(filter: ProjectFilter, page: Page): Promise<Connection<ProjectView>>;
  /** Capital allocated and disbursed to the project by the plans, as of the runner; null when not projected (or no pool). */
  projectCapital(id: string): Promise<ProjectCapital | null>;
  portfolioSummary(filter: PortfolioFilter, by: readonly PortfolioDimension[]): Promise<PortfolioRow[]>;
  auditTrail(projectId: string, page: Page): Promise<Connection<AuditEntryView>>;
  /** The plan, or null when none was assigned for that province and year (capital-read-models.ts). */
  capitalPlan(province: string, year: number): Promise<CapitalPlanView | null>;
  /** The plan's audit trail by revision; with a project id, only the events that moved its money. */
  capitalPlanAudit(
    province: string,
    year: number,
    projectId: string | undefined,
    page: Page,
  ): Promise<Connection<CapitalPlanAuditEntryView>>;
  /** The alerts read model (as of the projection runner and the last sweep), by project, rule, key and episode. */
  alerts(filter: AlertFilter, page: Page): Promise<Connection<AlertView>>;
  /** The open alerts of these rules, for each of these projects (all of them: not paged), in one read. */
  openAlertsOf(
    projectIds: readonly string[],
    ruleIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly OpenAlertBrief[]>>;
  /** A unit or agency of the administrative map as of a date (default: now), or null. */
  mapEntry(kind: 'unit' | 'agency', id: string, asOf?: IsoDate): Promise<MapEntryView | null>;
  /** The same questions at a point in time (asOf, knownAt): live folds, docs/TIME-TRAVEL.md. */
  readonly timeTravel: TimeTravelReads;
  /** The stream's recorded head (last revision and chain hash), or null when it does not exist. */
  streamHead(stream: string): Promise<StreamHeadView | null>;
  /** The stream's chain recomputed from its stored events. */
  verifyStream(stream: string): Promise<StreamVerificationView>;
  /** The project's inspection dossier, or null when it has no events. */
  dossier(projectId: string): Promise<Dossier | null>;
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export interface ReadModelDeps {
  readonly handler: CommandHandler;
  readonly store: EventStore;
  /** The read-model tables; without it the table-backed queries are UNAVAILABLE. */
  readonly pool?: pg.Pool;
}

/** project(id) and capitalPlan from the streams, the lists from the read-model tables. */
export function readModels({ handler, store, pool }: ReadModelDeps): ReadModels {
  const db = (): pg.Pool => {
    if (!pool) throw new UnavailableError('the read models need a database pool', 'READ_MODELS_UNAVAILABLE');
    return pool;
  };
  return {
    async project(id) {
      const { state, revision } = await handler.loadProject(id);
      return state.family === 'none' ? null : projectView(state, revision);
    },
    projects: (filter, page) => projectsPage(db(), filter, page),
    async projectCapital(id) {
      if (!pool) return null;
      const { rows } = await pool.query<{ allocated: string; disbursed: string }>(
        `SELECT capital_allocated::text AS allocated, capital_disbursed::text AS disbursed
         FROM project_status WHERE project_id = $1`,
        [id],
      );
      const r = rows[0];
      return r ? { allocated: BigInt(r.allocated), disbursed: BigInt(r.disbursed) } : null;
    },
    portfolioSummary: (filter, by) => portfolioSummary(db(), filter, by),
    auditTrail: (projectId, page) => auditPage(db(), projectId, page),
    capitalPlan: (province, year) => capitalPlan(store, pool, province, year),
    capitalPlanAudit: (province, year, projectId, page) =>
      capitalPlanAudit(db(), province, year, projectId, page),
    alerts: (filter, page) => alertsPage(db(), filter, page),
    async openAlertsOf(projectIds, ruleIds) {
      const { rows } = await db().query<{ project_id: string; rule_id: string; since: string }>(
        `SELECT project_id, rule_id, to_char(since, 'YYYY-MM-DD') AS since FROM alerts
         WHERE status = 'open' AND project_id = ANY($1) AND rule_id = ANY($2)`,
        [projectIds, ruleIds],
      );
      const out = new Map<string, OpenAlertBrief[]>();
      for (const r of rows) {
        const list = out.get(r.project_id) ?? [];
        list.push({ ruleId: r.rule_id, since: r.since });
        out.set(r.project_id, list);
      }
      return out;
    },
    mapEntry: (kind, id, asOf) => mapEntry(db(), kind, id, asOf),
    timeTravel: timeTravelReads(store, pool),
    streamHead: async (stream) => {
      const head = await store.head(stream);
      return head && { stream, ...head };
    },
    verifyStream: async (stream) => {
      // Through the port, so it works on every adapter of the log.
      const [events, head] = await Promise.all([store.readStream(stream), store.head(stream)]);
      const v = verifyStream(stream, events.map(fromRecorded), head);
      return { intact: v.break === null, events: v.events, break: v.break };
    },
    dossier: (projectId) => loadDossier(store, pool, projectId, new Date()),
  };
}

// Cursors are opaque to clients: base64url of a tagged key, so a cursor of one connection is refused
// by another.
export const encodeCursor = (kind: string, key: string | number) =>
  Buffer.from(JSON.stringify([kind, key])).toString('base64url');

export function decodeCursor<K extends string | number>(
  kind: string,
  cursor: string,
  keyType: 'string' | 'number',
): K {
  try {
    const [k, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (k === kind && typeof key === keyType) return key as K;
  } catch {
    // falls through to the validation error
  }
  throw ValidationError.field('after', 'is not a cursor of this connection', 'INVALID_CURSOR');
}

export function pageSize(first: number | null | undefined): number {
  const n = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE)
    throw ValidationError.field('first', `must be an integer from 0 to ${MAX_PAGE}`, 'INVALID_PAGE_SIZE');
  return n;
}

const FILTER_SQL: Readonly<
  Record<Exclude<keyof ProjectFilter, keyof SuccessionFilter>, (p: string) => string>
> = {
  family: (p) => `family = ${p}`,
  phase: (p) => `phase = ${p}`,
  status: (p) => `status = ${p}`,
  province: (p) => `province = ${p}`,
  adminUnit: (p) => `admin_unit = ${p}`,
  agencyId: (p) => `agency_id = ${p}`,
  group: (p) => `project_group = ${p}`,
  sector: (p) => `sector = ${p}`,
  suspended: (p) => `suspended = ${p}`,
  registeredFrom: (p) => `registered_on >= ${p}::date`,
  registeredTo: (p) => `registered_on <= ${p}::date`,
  text: (p) => `(name ILIKE ${p} OR code ILIKE ${p})`,
  scopeOwnerId: (p) => `owner_id = ${p}`,
  scopeUnit: (p) => `admin_unit = ${p}`,
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

async function projectsPage(
  pool: pg.Pool,
  filter: ProjectFilter,
  page: Page,
): Promise<Connection<ProjectView>> {
  const first = pageSize(page.first);
  const { unit, agency, mapAsOf, ...plain } = filter;
  const params: unknown[] = [];
  const where = await successionConditions(pool, { unit, agency, mapAsOf }, params);
  for (const [key, value] of Object.entries(plain) as [keyof typeof FILTER_SQL, unknown][]) {
    if (value === undefined || value === null) continue;
    params.push(key === 'text' ? likePattern(String(value)) : value);
    where.push(FILTER_SQL[key](`$${params.length}`));
  }
  const filtered = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await pool.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM portfolio_projects ${filtered}`,
    params,
  );
  const after = page.after != null ? decodeCursor<string>('project', page.after, 'string') : undefined;
  const pageParams = [...params, after ?? null, first + 1];
  const a = params.length + 1;
  const { rows } = await pool.query<{
    project_id: string;
    revision: number;
    state: unknown;
    allocated: string;
    disbursed: string;
  }>(
    `SELECT project_id, revision, state, capital_allocated::text AS allocated,
            capital_disbursed::text AS disbursed
     FROM portfolio_projects
     WHERE ${where.length ? `${where.join(' AND ')} AND ` : ''}($${a}::text IS NULL OR project_id > $${a})
     ORDER BY project_id LIMIT $${a + 1}`,
    pageParams,
  );
  const shown = rows.slice(0, first);
  const edges = shown.map((r) => ({
    cursor: encodeCursor('project', r.project_id),
    node: {
      ...projectView(stateFromJson<ExistingProject>(r.state), r.revision),
      capital: { allocated: BigInt(r.allocated), disbursed: BigInt(r.disbursed) },
    },
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: total.rows[0]?.n ?? 0,
  };
}

const ALERT_FILTER_SQL: Readonly<Record<keyof AlertFilter, (p: string) => string>> = {
  status: (p) => `a.status = ${p}`,
  ruleId: (p) => `a.rule_id = ${p}`,
  projectId: (p) => `a.project_id = ${p}`,
  province: (p) => `s.province = ${p}`,
  severity: (p) => `a.severity = ${p}`,
  family: (p) => `s.family = ${p}`,
  scopeOwnerId: (p) => `s.owner_id = ${p}`,
  scopeUnit: (p) => `s.admin_unit = ${p}`,
};

export const RULE_LABELS = new Map(ALERT_RULES.map((r) => [r.id, r.label]));

interface AlertRow {
  project_id: string;
  name: string | null;
  rule_id: string;
  key: string;
  episode: number;
  since: string;
  status: 'open' | 'closed';
  severity: string;
  regime: string;
  article: string;
  opened_at: string;
  closed_on: string | null;
  closed_reason: string | null;
  closed_by_event_id: string | null;
  reason_vi: string;
  reason_en: string;
}

async function alertsPage(pool: pg.Pool, filter: AlertFilter, page: Page): Promise<Connection<AlertView>> {
  const first = pageSize(page.first);
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [key, value] of Object.entries(filter) as [keyof AlertFilter, unknown][]) {
    if (value === undefined || value === null) continue;
    params.push(value);
    where.push(ALERT_FILTER_SQL[key](`$${params.length}`));
  }
  const from = 'FROM alerts a LEFT JOIN project_status s ON s.project_id = a.project_id';
  const filtered = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await pool.query<{ n: number }>(`SELECT count(*)::integer AS n ${from} ${filtered}`, params);
  let after: [string, string, string, number] | null = null;
  if (page.after != null) {
    const key = decodeCursor<string>('alert', page.after, 'string');
    let parsed: unknown;
    try {
      parsed = JSON.parse(key);
    } catch {
      parsed = undefined;
    }
    const valid =
      Array.isArray(parsed) &&
      parsed.length === 4 &&
      parsed.slice(0, 3).every((x) => typeof x === 'string') &&
      Number.isInteger(parsed[3]);
    if (!valid) throw ValidationError.field('after', 'is not a cursor of this connection', 'INVALID_CURSOR');
    after = parsed as [string, string, string, number];
  }
  const a = params.length + 1;
  const { rows } = await pool.query<AlertRow>(
    `SELECT a.project_id, s.name, a.rule_id, a.key, a.episode, to_char(a.since, 'YYYY-MM-DD') AS since, a.status,
            a.severity, a.regime, a.article, to_char(a.opened_at, 'YYYY-MM-DD') AS opened_at,
            to_char(a.closed_on, 'YYYY-MM-DD') AS closed_on, a.closed_reason, a.closed_by_event_id,
            a.reason_vi, a.reason_en
     ${from}
     WHERE ${where.length ? `${where.join(' AND ')} AND ` : ''}
       ($${a}::text IS NULL OR (a.project_id, a.rule_id, a.key, a.episode) > ($${a}, $${a + 1}, $${a + 2}, $${a + 3}::integer))
     ORDER BY a.project_id, a.rule_id, a.key, a.episode LIMIT $${a + 4}`,
    [...params, ...(after ?? [null, null, null, null]), first + 1],
  );
  const edges = rows.slice(0, first).map((r) => ({
    cursor: encodeCursor('alert', JSON.stringify([r.project_id, r.rule_id, r.key, r.episode])),
    node: {
      project: { id: r.project_id, name: r.name ?? r.project_id },
      ruleId: r.rule_id,
      ruleLabel: RULE_LABELS.get(r.rule_id) ?? { vi: r.rule_id, en: r.rule_id },
      key: r.key,
      episode: r.episode,
      status: r.status,
      severity: r.severity,
      regime: r.regime,
      article: r.article,
      since: r.since,
      openedAt: r.opened_at,
      closedOn: r.closed_on,
      closedReason: r.closed_reason,
      closedByEventId: r.closed_by_event_id,
      reason: { vi: r.reason_vi, en: r.reason_en },
    },
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: total.rows[0]?.n ?? 0,
  };
}

export interface AuditRow {
  event_id: string;
  project_id: string;
  revision: number;
  type: string;
  actor_user_id: string;
  actor_agency_id: string;
  actor_role: string;
  recorded_at: Date;
  effective_at: string;
  document_number: string | null;
  document_date: string | null;
  document_issuer: string | null;
  regime: string;
  transitional: boolean;
  command_id: string;
  command_type: string;
  correlation_id: string;
  source: string;
  changes: AuditEntryView['changes'];
}

async function auditPage(pool: pg.Pool, projectId: string, page: Page): Promise<Connection<AuditEntryView>> {
  const first = pageSize(page.first);
  const after = page.after != null ? decodeCursor<number>('audit', page.after, 'number') : -1;
  const total = await pool.query<{ n: number }>(
    'SELECT count(*)::integer AS n FROM audit_trail WHERE project_id = $1',
    [projectId],
  );
  const { rows } = await pool.query<AuditRow>(
    `SELECT event_id, project_id, revision, type, actor_user_id, actor_agency_id, actor_role, recorded_at,
            to_char(effective_at, 'YYYY-MM-DD') AS effective_at, document_number,
            to_char(document_date, 'YYYY-MM-DD') AS document_date, document_issuer, regime, transitional,
            command_id, command_type, correlation_id, source, changes
     FROM audit_trail WHERE project_id = $1 AND revision > $2 ORDER BY revision LIMIT $3`,
    [projectId, after, first + 1],
  );
  const edges = rows
    .slice(0, first)
    .map((r) => ({ cursor: encodeCursor('audit', r.revision), node: auditView(r) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: total.rows[0]?.n ?? 0,
  };
}

const auditView = (r: AuditRow): AuditEntryView => ({ ...envelopeView(r), projectId: r.project_id });

/** An audit row's envelope columns (audit_trail, capital_plan_audit) as the API shows them. */
export const envelopeView = (r: Omit<AuditRow, 'project_id'>): Omit<AuditEntryView, 'projectId'> => ({
  eventId: r.event_id,
  revision: r.revision,
  type: r.type,
  actor: { userId: r.actor_user_id, agencyId: r.actor_agency_id, role: r.actor_role },
  recordedAt: r.recorded_at.toISOString(),
  effectiveAt: r.effective_at,
  document:
    r.document_number === null
      ? null
      : { number: r.document_number, date: r.document_date, issuer: r.document_issuer },
  regime: r.regime,
  transitional: r.transitional,
  commandId: r.command_id,
  commandType: r.command_type,
  correlationId: r.correlation_id,
  source: r.source,
  changes: r.changes,
});

/** part / whole in [0, 1] to six places (0 when whole is 0); the amounts themselves stay exact. */
export const rate = (part: bigint, whole: bigint): number =>
  whole === 0n ? 0 : Number((part * 1_000_000n) / whole) / 1_000_000;

export function projectView(p: ExistingProject, revision: number): ProjectView {
  const common = {
    id: p.projectId,
    family: p.family,
    phase: p.phase,
    phaseLabel: phaseLabel(p.family, p.phase),
    phaseSince: p.phaseSince,
    name: p.name,
    code: p.code,
    province: p.province,
    adminUnit: p.adminUnit,
    agencyId: p.agencyId,
    sector: p.sector,
    owner: p.owner,
    registeredOn: p.registeredOn,
    proposedCapital: p.proposedCapital,
    milestones: Object.values(p.milestones).sort((a, b) => a.currentDue.localeCompare(b.currentDue)),
    suspended: p.suspension !== undefined,
    suspension: p.suspension,
    lastProgress: p.lastProgress,
    revision,
  };
  if (p.family === 'nonState')
    return {
      ...common,
      approvedCapital: p.policy?.approvedCapital,
      registeredCapital: p.certificate?.registeredCapital,
      capitalContributed: p.capitalContributed,
      certificate: p.certificate,
    };
  return {
    ...common,
    group: p.group,
    totalInvestment: p.totalInvestment,
    estimate: p.estimate,
    fundingAssigned: p.funding.reduce((sum, f) => sum + f.amount, 0n),
    settledValue: p.settledValue,
    completionDeadline: p.completionDeadline,
  };
}
