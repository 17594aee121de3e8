// The alerts projection's capital context in PostgreSQL (migrations/011): loaded for the projects and
// plans a batch touches, moved in memory in log order, written back once.
import type pg from 'pg';
import type { IsoDate } from '../domain/dates.js';
import { stateFromJson, stateToJson } from '../projections/state-json.js';
import type { PlanInfo } from './capital-context.js';
import type { CapitalMove } from './rule-kit.js';

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
