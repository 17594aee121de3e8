// Read model `audit_trail`: one row per project event — who (user, agency, role), when (recorded and
// effective), under which document and legal regime, by which command — with the field-level changes
// it made to the project's folded state (migrations/006). The projection folds its own copy of each
// project's state (audit_project_state) so it never waits on another projection.
import { PROJECT_EVENT_TYPES } from '../domain/project/events.js';
import { foldProjectEvent } from './project-fold.js';
import type { Projection } from './projection.js';
import { diffStates, stateToJson } from './state-json.js';

/** `history` is the fold's own bookkeeping (one entry per revision), not a fact about the project. */
const NOT_AUDITED = ['history'];

export const auditTrailProjection: Projection = {
  name: 'audit_trail',
  version: 1,
  handles: PROJECT_EVENT_TYPES,
  tables: ['audit_trail', 'audit_project_state'],
  async apply(tx, e) {
    const step = await foldProjectEvent(tx, 'audit_project_state', e);
    if (!step) return;
    const before = step.before.family === 'none' ? {} : step.before;
    const changes = diffStates(before, step.after.family === 'none' ? {} : step.after, NOT_AUDITED);
    const { actor, legalBasis: basis } = e.meta;
    await tx.query(
      `INSERT INTO audit_trail (event_id, project_id, revision, tx, pos, type,
         actor_user_id, actor_agency_id, actor_role, recorded_at, effective_at,
         document_number, document_date, document_issuer, regime, transitional,
         command_id, command_type, correlation_id, source, changes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        e.id,
        step.projectId,
        e.revision,
        e.position.tx.toString(),
        e.position.pos.toString(),
        e.type,
        actor.userId,
        actor.agencyId,
        actor.role,
        e.meta.recordedAt,
        e.meta.effectiveAt,
        basis.document?.number ?? null,
        basis.document?.date ?? null,
        basis.document?.issuer ?? null,
        basis.regime,
        basis.transitional === true,
        e.meta.commandId,
        e.meta.commandType,
        e.meta.correlationId,
        e.meta.source,
        JSON.stringify(changes),
      ],
    );
    await tx.query(
      `INSERT INTO audit_project_state (project_id, revision, state) VALUES ($1, $2, $3)
       ON CONFLICT (project_id) DO UPDATE SET revision = EXCLUDED.revision, state = EXCLUDED.state`,
      [step.projectId, e.revision, stateToJson(step.after)],
    );
  },
};
