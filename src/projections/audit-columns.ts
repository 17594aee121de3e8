// The columns every audit read model keeps of an event's envelope: who (user, agency, role), when
// (recorded and effective), under which document and legal regime, by which command, from where.
import type { ProjectedEvent } from './projection.js';

export function auditColumns(e: ProjectedEvent): Record<string, unknown> {
  const { actor, legalBasis: basis } = e.meta;
  return {
    revision: e.revision,
    tx: e.position.tx.toString(),
    pos: e.position.pos.toString(),
    type: e.type,
    actor_user_id: actor.userId,
    actor_agency_id: actor.agencyId,
    actor_role: actor.role,
    recorded_at: e.meta.recordedAt,
    effective_at: e.meta.effectiveAt,
    document_number: basis.document?.number ?? null,
    document_date: basis.document?.date ?? null,
    document_issuer: basis.document?.issuer ?? null,
    regime: basis.regime,
    transitional: basis.transitional === true,
    command_id: e.meta.commandId,
    command_type: e.meta.commandType,
    correlation_id: e.meta.correlationId,
    source: e.meta.source,
  };
}
