// The authorisation step every command passes before decide. It sees the actor, the command and the
// aggregate's current state (so scope rules such as "an investor acts on its own projects only" can
// be checked). The full role × command × scope matrix is reference data to come; this default policy
// encodes the rules that are already certain.
import type { Command, CommandType } from '../domain/catalog.js';
import type { Actor, Role } from '../domain/envelope.js';
import { ForbiddenError } from '../domain/errors.js';
import type { ProjectState } from '../domain/project/state.js';

export interface AuthorizationRequest {
  readonly actor: Actor;
  readonly command: Command;
  /** The project the command acts on, when it acts on one. */
  readonly project?: ProjectState;
}

/** Throws ForbiddenError when the actor may not run the command. */
export type AuthorizationPolicy = (request: AuthorizationRequest) => void;

const OWN_PROJECT_COMMANDS: readonly CommandType[] = [
  'ReportProgress',
  'SubmitPeriodicReport',
  'ContributeCapital',
  'CompleteMilestone',
];

/** Roles that act on every command for now; the matrix narrows them per agency in a later issue. */
const READ_ONLY_ROLES: readonly Role[] = ['reviewer', 'supervisor'];
const SELF_SERVICE_ROLES: readonly Role[] = ['investor', 'projectOwner'];

export const defaultPolicy: AuthorizationPolicy = ({ actor, command, project }) => {
  if (READ_ONLY_ROLES.includes(actor.role)) {
    throw new ForbiddenError(
      `role ${actor.role} reads and audits; it cannot run ${command.type}`,
      'READ_ONLY_ROLE',
      {
        role: actor.role,
        command: command.type,
      },
    );
  }
  if (SELF_SERVICE_ROLES.includes(actor.role)) {
    if (!OWN_PROJECT_COMMANDS.includes(command.type)) {
      throw new ForbiddenError(
        `role ${actor.role} cannot run ${command.type}`,
        'COMMAND_NOT_ALLOWED_FOR_ROLE',
        {
          role: actor.role,
          command: command.type,
        },
      );
    }
    // An investor acts only where the project's owner carries its id; no id, no match.
    const ownerId = project && project.family !== 'none' ? project.owner.id : undefined;
    if (ownerId !== actor.agencyId) {
      throw new ForbiddenError(`${actor.agencyId} is not the owner of this project`, 'NOT_OWN_PROJECT', {
        role: actor.role,
        command: command.type,
      });
    }
  }
};

export const allowAll: AuthorizationPolicy = () => {};
