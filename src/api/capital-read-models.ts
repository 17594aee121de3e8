// What the capital plan queries read. capitalPlan(province, year) answers from the capital_plans read
// model when it holds the plan stream's head revision, else from the stream folded live: either way a
// client reads its own writes (a mutation's revision is at once the one shown), and a caught-up plan
// costs two small queries instead of folding every allocation and disbursement. The plan's audit
// trail reads capital_plan_audit (as of the projection runner).
import type pg from 'pg';
import {
  type Allocation,
  type CapitalEvent,
  type CapitalPlanState,
  evolveCapitalPlan,
  initialCapitalPlanState,
} from '../domain/capital/plan.js';
import { decodeEvent } from '../domain/catalog.js';
import type { IsoDate } from '../domain/dates.js';
import { capitalPlanStream } from '../domain/streams.js';
import type { EventStore } from '../store/port.js';
import {
  type AuditRow,
  type CapitalPlanAuditEntryView,
  type CapitalPlanView,
  type Connection,
  decodeCursor,
  encodeCursor,
  envelopeView,
  type Page,
  pageSize,
  rate,
} from './read-models.js';

/** The plan as a view, whichever side produced it. */
interface PlanFacts {
  readonly province: string;
  readonly year: number;
  readonly total: bigint;
  readonly disbursementDeadline: IsoDate;
  readonly allocations: Readonly<Record<string, Allocation>>;
}

export async function capitalPlan(
  store: EventStore,
  pool: pg.Pool | undefined,
  province: string,
  year: number,
): Promise<CapitalPlanView | null> {
  const stream = capitalPlanStream(province, year);
  if (pool) {
    const [head, table] = await Promise.all([store.head(stream), fromTables(pool, stream)]);
    if (!head) return null;
    if (table && table.revision === head.revision) return planView(table.plan, table.revision);
  }
  return liveCapitalPlan(store, stream);
}

async function fromTables(
  pool: pg.Pool,
  stream: string,
): Promise<{ plan: PlanFacts; revision: number } | null> {
  const { rows } = await pool.query<{
    province: string;
    year: number;
    total: string;
    deadline: IsoDate;
    revision: number;
    allocations: { project_id: string; allocated: string; disbursed: string }[];
  }>(
    `SELECT p.province, p.year, p.total::text AS total,
            to_char(p.disbursement_deadline, 'YYYY-MM-DD') AS deadline, p.revision,
            COALESCE((SELECT json_agg(json_build_object('project_id', a.project_id,
                        'allocated', a.allocated::text, 'disbursed', a.disbursed::text))
                      FROM capital_plan_allocations a WHERE a.plan_stream = p.plan_stream), '[]') AS allocations
     FROM capital_plans p WHERE p.plan_stream = $1`,
    [stream],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    revision: r.revision,
    plan: {
      province: r.province,
      year: r.year,
      total: BigInt(r.total),
      disbursementDeadline: r.deadline,
      allocations: Object.fromEntries(
        r.allocations.map((a) => [
          a.project_id,
          { allocated: BigInt(a.allocated), disbursed: BigInt(a.disbursed) },
        ]),
      ),
    },
  };
}

async function liveCapitalPlan(store: EventStore, stream: string): Promise<CapitalPlanView | null> {
  const recorded = await store.readStream(stream);
  let state: CapitalPlanState = initialCapitalPlanState;
  for (const e of recorded)
    state = evolveCapitalPlan(state, decodeEvent(e.type, e.schemaVersion, e.data) as CapitalEvent);
  return state.status === 'none' ? null : planView(state, recorded.length - 1);
}

function planView(plan: PlanFacts, revision: number): CapitalPlanView {
  const allocations = Object.entries(plan.allocations)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([projectId, a]) => ({ projectId, ...a, disbursementRate: rate(a.disbursed, a.allocated) }));
  const allocated = allocations.reduce((s, a) => s + a.allocated, 0n);
  const disbursed = allocations.reduce((s, a) => s + a.disbursed, 0n);
  return {
    province: plan.province,
    year: plan.year,
    total: plan.total,
    allocated,
    disbursed,
    unallocated: plan.total - allocated,
    allocationRate: rate(allocated, plan.total),
    disbursementRate: rate(disbursed, allocated),
    disbursementDeadline: plan.disbursementDeadline,
    allocations,
    revision,
  };
}

export async function capitalPlanAudit(
  pool: pg.Pool,
  province: string,
  year: number,
  projectId: string | undefined,
  page: Page,
): Promise<Connection<CapitalPlanAuditEntryView>> {
  const first = pageSize(page.first);
  const after = page.after != null ? decodeCursor<number>('capitalAudit', page.after, 'number') : -1;
  const stream = capitalPlanStream(province, year);
  const where = 'plan_stream = $1 AND ($2::text IS NULL OR $2 = ANY(project_ids))';
  const total = await pool.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM capital_plan_audit WHERE ${where}`,
    [stream, projectId ?? null],
  );
  const { rows } = await pool.query<Omit<AuditRow, 'project_id'> & CapitalAuditColumns>(
    `SELECT event_id, province, year, revision, type, project_ids, actor_user_id, actor_agency_id, actor_role,
            recorded_at, to_char(effective_at, 'YYYY-MM-DD') AS effective_at, document_number,
            to_char(document_date, 'YYYY-MM-DD') AS document_date, document_issuer, regime, transitional,
            command_id, command_type, correlation_id, source, changes
     FROM capital_plan_audit WHERE ${where} AND revision > $3 ORDER BY revision LIMIT $4`,
    [stream, projectId ?? null, after, first + 1],
  );
  const edges = rows.slice(0, first).map((r) => ({
    cursor: encodeCursor('capitalAudit', r.revision),
    node: { ...envelopeView(r), province: r.province, year: r.year, projectIds: r.project_ids },
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: total.rows[0]?.n ?? 0,
  };
}

interface CapitalAuditColumns {
  province: string;
  year: number;
  project_ids: string[];
}
