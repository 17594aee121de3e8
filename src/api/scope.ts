// Reads scoped by the role matrix (src/domain/access.ts): a list is narrowed to what the actor may see
// (an investor's own projects, a commune committee's unit), and a project named by id that the actor
// may not see is FORBIDDEN (and so recorded as a denial), as is any project read by a role that reads
// none. Resolvers call these before asking the read models.
import { ACCESS_MATRIX, decideReadAccess } from '../domain/access.js';
import { ForbiddenError } from '../domain/errors.js';
import type { ApiContext } from './context.js';

/** The narrowing a list query adds to the client's filter ({} for roles that read everything). */
export function readLimit(ctx: ApiContext): { scopeOwnerId?: string; scopeUnit?: string } {
  const actor = ctx.actor();
  switch (ACCESS_MATRIX[actor.role].reads) {
    case 'all':
      return {};
    case 'ownProjects':
      return { scopeOwnerId: actor.agencyId };
    case 'ownUnit':
      // A committee whose agency names no unit sees nothing rather than everything.
      return { scopeUnit: ctx.unit() ?? '\u0000no unit' };
    case 'none':
      throw new ForbiddenError(`role ${actor.role} reads no project data`, 'READ_NOT_ALLOWED_FOR_ROLE', {
        role: actor.role,
      });
  }
}

type ReadableProject = { owner: { id?: string }; adminUnit: string };

/** Whether the actor may read this project (the role matrix's read scope), and why not. */
export function projectReadDecision(ctx: ApiContext, project: ReadableProject) {
  const unit = ctx.unit();
  return decideReadAccess(
    ctx.actor(),
    { ...(project.owner.id !== undefined && { ownerId: project.owner.id }), adminUnit: project.adminUnit },
    unit === undefined ? {} : { adminUnit: unit },
  );
}

/** Throws FORBIDDEN unless the actor may read this project. */
export function checkProjectRead(ctx: ApiContext, project: ReadableProject): void {
  const decision = projectReadDecision(ctx, project);
  if (!decision.allowed) throw new ForbiddenError(decision.why, decision.reason, { role: ctx.actor().role });
}

/** Throws FORBIDDEN unless the actor may read the project of this id (an unknown id passes: it reads as null). */
export async function checkProjectIdRead(ctx: ApiContext, projectId: string): Promise<void> {
  readLimit(ctx);
  const project = await ctx.readModels.project(projectId);
  if (project) checkProjectRead(ctx, project);
}

/** Capital plans are province-wide: only roles that read every project read them. */
export function checkProvinceRead(ctx: ApiContext): void {
  const actor = ctx.actor();
  if (ACCESS_MATRIX[actor.role].reads !== 'all')
    throw new ForbiddenError(
      `role ${actor.role} does not read province-wide data`,
      'READ_NOT_ALLOWED_FOR_ROLE',
      {
        role: actor.role,
      },
    );
}
