// The alerts projection's capital context in PostgreSQL (migrations/011): loaded for the projects and
// plans a batch touches, moved in memory in log order, written back once.
import type pg from 'pg';
import type { CapitalEvent } from '../domain/capital/plan.js';
import type { IsoDate } from '../domain/dates.js';
import type { LeanEvent } from '../projections/projection.js';
import { stateFromJson, stateToJson } from '../projections/state-json.js';
import { type Contexts, capitalMoves, type PlanInfo, planAfter } from './capital-context.js';
import type { AlertContext, CapitalMove } from './rule-kit.js';

export interface CapitalBook {
  /** Plan stream → year and deadline (of every plan the loaded projects have money in). */
  readonly plans: Map<string, PlanInfo>;
  /** Plan stream → revision last applied. */
  readonly revisions: ReadonlyMap<string, number>;
  /** Project → plan stream → moves. */
  readonly capital: Map<string, Map<string, CapitalMove[]>>;
  move(projectId: string, plan: string, m: CapitalMove): void;
  /** The plan's event at `revision` applied; its year and deadline after it, when assigned. */
  applied(plan: string, revision: number, info: PlanInfo | undefined): void;
  readonly changed: { readonly plans: Set<string>; readonly capital: Set<string> };
}

/** What one capital plan event did, for the rules to be asked about it. */
export interface CapitalStep {
  /**
   * The projects it concerns: those it moves money for, and every project with money in the plan for
   * an extension of its disbursement period.
   */
  readonly affected: ReadonlySet<string>;
  /** Their contexts before it. */
  readonly before: ReadonlyMap<string, AlertContext>;
  /** The plan's year or deadline changed: every project with money in it has a new context. */
  readonly planChanged: boolean;
}

/**
 * Applies a capital plan event (the next in log order) to the book, and forgets the contexts it
 * changed: those of its projects, or every one when the plan's year or deadline changed. The others
 * stay the same objects, so what was judged on them holds. Undefined when the book holds it already.
 */
export function applyCapitalEvent(
  book: CapitalBook,
  contexts: Contexts,
  e: LeanEvent<'effectiveAt'>,
): CapitalStep | undefined {
  if ((book.revisions.get(e.stream) ?? -1) >= e.revision) return undefined; // applied before
  const domain = e.domain as CapitalEvent;
  const moves = capitalMoves(domain, e.meta.effectiveAt);
  const affected = new Set(moves.map(([id]) => id));
  if (domain.type === 'DisbursementPeriodExtended')
    for (const [id, plans] of book.capital) if (plans.has(e.stream)) affected.add(id);
  const before = new Map([...affected].map((id) => [id, contexts.now(id)]));
  const plan = book.plans.get(e.stream);
  const next = planAfter(plan, domain);
  book.applied(e.stream, e.revision, next);
  for (const [id, m] of moves) book.move(id, e.stream, m);
  const planChanged = next !== plan;
  if (planChanged) contexts.forgetAll();
  else for (const id of affected) contexts.forget(id);
  return { affected, before, planChanged };
}

/** The capital of `projectIds` and of every project in `planStreams`, with the plans involved. */
export async function loadCapitalBook(
  tx: pg.PoolClient | pg.Pool,
  projectIds: readonly string[] | null,
  planStreams: readonly string[],
): Promise<CapitalBook> {
  const { rows } = await tx.query<{ project_id: string; plan_stream: string; moves: unknown }>(
    `SELECT project_id, plan_stream, moves FROM alert_project_capital
     WHERE $1::text[] IS NULL OR project_id = ANY($1) OR plan_stream = ANY($2)`,
    [projectIds, planStreams],
  );
  const capital = new Map<string, Map<string, CapitalMove[]>>();
  for (const r of rows) {
    const m = capital.get(r.project_id) ?? new Map<string, CapitalMove[]>();
    m.set(r.plan_stream, stateFromJson<CapitalMove[]>(r.moves));
    capital.set(r.project_id, m);
  }
  const streams = [...new Set([...planStreams, ...rows.map((r) => r.plan_stream)])];
  const plans = await tx.query<{ plan_stream: string; year: number; deadline: string; revision: number }>(
    `SELECT plan_stream, year, to_char(disbursement_deadline, 'YYYY-MM-DD') AS deadline, revision
     FROM alert_capital_plan WHERE plan_stream = ANY($1)`,
    [streams],
  );
  const revisions = new Map(plans.rows.map((p) => [p.plan_stream, p.revision]));
  const info = new Map(
    plans.rows.map((p) => [p.plan_stream, { year: p.year, disbursementDeadline: p.deadline as IsoDate }]),
  );
  return bookOf(info, revisions, capital);
}

/** A book holding no capital and no plan: a rebuild's, from the log's start. */
export const emptyCapitalBook = (): CapitalBook => bookOf(new Map(), new Map(), new Map());

function bookOf(
  info: Map<string, PlanInfo>,
  revisions: Map<string, number>,
  capital: Map<string, Map<string, CapitalMove[]>>,
): CapitalBook {
  const changed = { plans: new Set<string>(), capital: new Set<string>() };
  return {
    plans: info,
    revisions,
    capital,
    changed,
    move(projectId, plan, m) {
      const byPlan = capital.get(projectId) ?? new Map<string, CapitalMove[]>();
      byPlan.set(plan, [...(byPlan.get(plan) ?? []), m]);
      capital.set(projectId, byPlan);
      changed.capital.add(JSON.stringify([projectId, plan]));
    },
    applied(plan, revision, next) {
      revisions.set(plan, revision);
      if (next) info.set(plan, next);
      changed.plans.add(plan);
    },
  };
}

export async function saveCapitalBook(tx: pg.PoolClient, book: CapitalBook): Promise<void> {
  const plans = [...book.changed.plans].flatMap((stream) => {
    const p = book.plans.get(stream);
    return p
      ? [
          {
            plan_stream: stream,
            year: p.year,
            disbursement_deadline: p.disbursementDeadline,
            revision: book.revisions.get(stream),
          },
        ]
      : [];
  });
  if (plans.length > 0)
    await tx.query(
      `INSERT INTO alert_capital_plan SELECT * FROM jsonb_populate_recordset(NULL::alert_capital_plan, $1)
       ON CONFLICT (plan_stream) DO UPDATE SET year = EXCLUDED.year,
         disbursement_deadline = EXCLUDED.disbursement_deadline, revision = EXCLUDED.revision`,
      [JSON.stringify(plans)],
    );
  const capital = [...book.changed.capital].map((k) => {
    const [project_id, plan_stream] = JSON.parse(k) as [string, string];
    return {
      project_id,
      plan_stream,
      moves: JSON.parse(stateToJson(book.capital.get(project_id)?.get(plan_stream) ?? [])),
    };
  });
  if (capital.length > 0)
    await tx.query(
      `INSERT INTO alert_project_capital SELECT * FROM jsonb_populate_recordset(NULL::alert_project_capital, $1)
       ON CONFLICT (project_id, plan_stream) DO UPDATE SET moves = EXCLUDED.moves`,
      [JSON.stringify(capital)],
    );
}
