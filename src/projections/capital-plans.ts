// Read model of the annual capital plans (migrations/022): per plan its total, sums and deadline
// (`capital_plans`, with the folded plan as `state`), per plan and project what it allocated and
// disbursed (`capital_plan_allocations`), and one audit row per capital plan event — who, when, under
// which document and regime, by which command, the projects it touched and the field-level changes
// (`capital_plan_audit`). The plan is folded with the domain's evolveCapitalPlan, as the write side does.
import type pg from 'pg';
import {
  CAPITAL_EVENT_TYPES,
  type CapitalEvent,
  type CapitalPlanState,
  evolveCapitalPlan,
  initialCapitalPlanState,
} from '../domain/capital/plan.js';
import { CAPITAL_PLAN, category, streamId } from '../domain/streams.js';
import { auditColumns } from './audit-columns.js';
import type { ProjectedEvent, Projection } from './projection.js';
import { diffStates, stateFromJson, stateToJson } from './state-json.js';

export const capitalPlansProjection: Projection = {
  name: 'capital_plans',
  version: 1,
  handles: CAPITAL_EVENT_TYPES,
  tables: ['capital_plans', 'capital_plan_allocations', 'capital_plan_audit'],
  apply: (tx, e) => applyBatch(tx, [e]),
  applyBatch,
};

interface Folded {
  revision: number;
  state: CapitalPlanState;
  last?: ProjectedEvent;
  /** Projects whose allocation this batch changed. */
  readonly touched: Set<string>;
}

/**
 * Loads the plans the batch touches, folds their events in log order (an event at or below the
 * plan's revision is a repeat and changes nothing), then writes the audit rows, the plans and the
 * allocations that changed: three statements whatever the batch's size.
 */
async function applyBatch(tx: pg.PoolClient, events: readonly ProjectedEvent[]): Promise<void> {
  const own = events.filter((e) => category(e.stream) === CAPITAL_PLAN);
  if (own.length === 0) return;
  const streams = [...new Set(own.map((e) => e.stream))];
  const { rows } = await tx.query<{ plan_stream: string; revision: number; state: unknown }>(
    'SELECT plan_stream, revision, state FROM capital_plans WHERE plan_stream = ANY($1) FOR UPDATE',
    [streams],
  );
  const plans = new Map<string, Folded>(
    rows.map((r) => [
      r.plan_stream,
      { revision: r.revision, state: stateFromJson(r.state), touched: new Set() },
    ]),
  );
  const audit: Record<string, unknown>[] = [];
  for (const e of own) {
    const plan = plans.get(e.stream) ?? { revision: -1, state: initialCapitalPlanState, touched: new Set() };
    plans.set(e.stream, plan);
    if (e.revision <= plan.revision) continue;
    const event = e.domain as CapitalEvent;
    const before = plan.state;
    plan.state = evolveCapitalPlan(before, event);
    plan.revision = e.revision;
    plan.last = e;
    const projectIds = projectsOf(event);
    for (const id of projectIds) plan.touched.add(id);
    audit.push(auditRow(e, projectIds, before, plan.state));
  }
  if (audit.length === 0) return;
  await tx.query(
    `INSERT INTO capital_plan_audit SELECT * FROM jsonb_populate_recordset(NULL::capital_plan_audit, $1)
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(audit)],
  );
  const changed = [...plans].filter(([, p]) => p.last && p.state.status === 'assigned');
  await tx.query(
    `INSERT INTO capital_plans SELECT * FROM jsonb_populate_recordset(NULL::capital_plans, $1)
     ON CONFLICT (plan_stream) DO UPDATE SET total = EXCLUDED.total, allocated = EXCLUDED.allocated,
       disbursed = EXCLUDED.disbursed, disbursement_deadline = EXCLUDED.disbursement_deadline,
       revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at, state = EXCLUDED.state`,
    [JSON.stringify(changed.map(([stream, p]) => planRow(stream, p)))],
  );
  const allocations = changed.flatMap(([stream, p]) => {
    if (p.state.status !== 'assigned') return [];
    const all = p.state.allocations;
    return [...p.touched].map((projectId) => ({
      plan_stream: stream,
      project_id: projectId,
      allocated: (all[projectId]?.allocated ?? 0n).toString(),
      disbursed: (all[projectId]?.disbursed ?? 0n).toString(),
    }));
  });
  if (allocations.length > 0)
    await tx.query(
      `INSERT INTO capital_plan_allocations
       SELECT * FROM jsonb_populate_recordset(NULL::capital_plan_allocations, $1)
       ON CONFLICT (plan_stream, project_id) DO UPDATE SET
         allocated = EXCLUDED.allocated, disbursed = EXCLUDED.disbursed`,
      [JSON.stringify(allocations)],
    );
}

/** The projects a capital plan event moves money for. */
function projectsOf(e: CapitalEvent): string[] {
  switch (e.type) {
    case 'CapitalAllocated':
    case 'CapitalDisbursed':
      return [e.data.projectId];
    case 'CapitalReallocated':
      return [e.data.fromProjectId, e.data.toProjectId];
    default:
      return [];
  }
}

function planRow(stream: string, p: Folded): Record<string, unknown> {
  const s = p.state as Extract<CapitalPlanState, { status: 'assigned' }>;
  const sums = Object.values(s.allocations).reduce(
    (acc, a) => ({ allocated: acc.allocated + a.allocated, disbursed: acc.disbursed + a.disbursed }),
    { allocated: 0n, disbursed: 0n },
  );
  return {
    plan_stream: stream,
    province: s.province,
    year: s.year,
    total: s.total.toString(),
    allocated: sums.allocated.toString(),
    disbursed: sums.disbursed.toString(),
    disbursement_deadline: s.disbursementDeadline,
    revision: p.revision,
    updated_at: p.last?.meta.recordedAt,
    state: JSON.parse(stateToJson(s)),
  };
}

/** `04_2022` → province 04, year 2022: for an event folded before its plan was assigned. */
function planKey(stream: string, state: CapitalPlanState): { province: string; year: number } {
  if (state.status === 'assigned') return { province: state.province, year: state.year };
  const [province = '', year = '0'] = streamId(stream).split('_');
  return { province, year: Number(year) };
}

function auditRow(
  e: ProjectedEvent,
  projectIds: readonly string[],
  before: CapitalPlanState,
  after: CapitalPlanState,
): Record<string, unknown> {
  return {
    event_id: e.id,
    plan_stream: e.stream,
    ...planKey(e.stream, after),
    ...auditColumns(e),
    project_ids: projectIds,
    changes: diffStates(before.status === 'none' ? {} : before, after.status === 'none' ? {} : after, [
      'status',
    ]),
  };
}
