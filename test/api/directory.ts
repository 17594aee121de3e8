// Keeps the directory in step with the actor objects specs use: each actor's agency registered and
// its user registered (or reassigned) to that agency and role, by an administrator, through the same
// command handler the API uses. A spec that switches an actor's role gets the switch recorded first.
import type { CommandHandler } from '../../src/commands/handler.js';
import { localDateOf } from '../../src/domain/dates.js';
import { agencyUnits } from '../support/fixtures.js';

interface ActorLike {
  readonly userId: string;
  readonly agencyId: string;
  readonly role: string;
}

/** The administrator that sets up the directory for specs. */
export const ADMIN = { userId: 'u-admin-test', agencyId: 'tiendo-test', role: 'administrator' } as const;

export class Directory {
  private readonly agencies = new Set<string>();
  /** userId → "agencyId role" as the directory holds it. */
  private readonly users = new Map<string, string>();

  constructor(private readonly handler: CommandHandler) {}

  async seed(actors: readonly ActorLike[]): Promise<void> {
    for (const a of [ADMIN, ...actors]) await this.ensure(a);
  }

  async ensure(actor: ActorLike): Promise<void> {
    const { userId, agencyId, role } = actor;
    if (this.users.get(userId) === `${agencyId} ${role}`) return;
    if (!this.agencies.has(agencyId)) {
      const unit = agencyUnits[agencyId];
      const kind = agencyId.startsWith('inv-') ? 'enterprise' : unit ? 'communeCommittee' : 'department';
      await this.run('RegisterAgency', {
        agencyId,
        name: agencyId,
        kind,
        province: '04',
        ...(unit && { adminUnit: unit }),
      });
      this.agencies.add(agencyId);
    }
    await this.run(this.users.has(userId) ? 'AssignUser' : 'RegisterUser', {
      userId,
      agencyId,
      role,
      ...(!this.users.has(userId) && { name: userId }),
    });
    this.users.set(userId, `${agencyId} ${role}`);
  }

  private run(type: string, data: Record<string, unknown>) {
    const effectiveAt = localDateOf(new Date().toISOString());
    return this.handler.handle({ type, actor: ADMIN, effectiveAt, data }, 'cli');
  }
}
