// The authorisation step every command passes before decide: the role × command × scope table of
// src/domain/access.ts, judged on the project the command acts on (its owner and commune or ward:
// from the project's state, or from a registration's data) and, for a commune committee, on the unit
// its agency answers for (from the directory). A refusal is a ForbiddenError naming role, command and
// reason; it is thrown before anything is appended, so a denied command never writes an event. A
// command that overrides regime checks also needs the role's `override` operation.
import { type ActorAgency, decideCommandAccess, mayUse, type ScopeTarget } from '../domain/access.js';
import type { Command } from '../domain/catalog.js';
import type { Actor } from '../domain/envelope.js';
import { ForbiddenError } from '../domain/errors.js';
import type { ProjectState } from '../domain/project/state.js';

export interface AuthorizationRequest {
  readonly actor: Actor;
  readonly command: Command;
  /** The project the command acts on, when it acts on one. */
  readonly project?: ProjectState;
  /** The actor's agency as the directory holds it (looked up only when a scope needs it). */
  readonly agency?: () => Promise<ActorAgency>;
}

/** Throws ForbiddenError when the actor may not run the command. */
export type AuthorizationPolicy = (request: AuthorizationRequest) => void | Promise<void>;

/** The project facts the scopes are judged on. */
export function scopeTarget(command: Command, project?: ProjectState): ScopeTarget | undefined {
  if (project && project.family !== 'none')
    return {
      ...(project.owner.id !== undefined && { ownerId: project.owner.id }),
      adminUnit: project.adminUnit,
    };
  if (command.type === 'RegisterProject')
    return {
      ...(command.data.owner.id !== undefined && { ownerId: command.data.owner.id }),
      adminUnit: command.data.adminUnit,
    };
  return undefined;
}

export const matrixPolicy: AuthorizationPolicy = async ({ actor, command, project, agency }) => {
  const target = scopeTarget(command, project);
  let decision = decideCommandAccess(actor, command.type, target);
  if (!decision.allowed && decision.reason === 'NOT_OWN_UNIT' && agency)
    decision = decideCommandAccess(actor, command.type, target, await agency());
  if (!decision.allowed)
    throw new ForbiddenError(decision.why, decision.reason, { role: actor.role, command: command.type });
  if (command.meta.override && !mayUse(actor, 'override'))
    throw new ForbiddenError(
      `role ${actor.role} may not override regime checks (${command.meta.override.checks.join(', ')})`,
      'OVERRIDE_NOT_ALLOWED_FOR_ROLE',
      { role: actor.role, command: command.type },
    );
};

export const defaultPolicy = matrixPolicy;

export const allowAll: AuthorizationPolicy = () => {};
