// Read model of the directory: agencies, users and API tokens as lists (migrations/060). Each row
// keeps its stream's last folded revision, so a repeated event changes nothing.
import type pg from 'pg';
import { DIRECTORY_EVENT_TYPES, type DirectoryEvent } from '../domain/directory/events.js';
import { streamId } from '../domain/streams.js';
import type { ProjectedEvent, Projection } from './projection.js';

export const directoryProjection: Projection = {
  name: 'directory',
  version: 1,
  handles: DIRECTORY_EVENT_TYPES,
  tables: ['directory_agencies', 'directory_users', 'directory_api_tokens'],
  apply,
};

async function apply(tx: pg.PoolClient, e: ProjectedEvent): Promise<void> {
  const event = e.domain as unknown as DirectoryEvent;
  const id = streamId(e.stream);
  const at = e.meta.recordedAt;
  const newer = (table: string, key: string) => `WHERE ${table}.${key} = $1 AND ${table}.revision < $2`;
  switch (event.type) {
    case 'AgencyRegistered': {
      const d = event.data;
      await tx.query(
        `INSERT INTO directory_agencies (agency_id, name, kind, province, admin_unit, revision, updated_at)
         VALUES ($1, $3, $4, $5, $6, $2, $7) ON CONFLICT (agency_id) DO NOTHING`,
        [id, e.revision, d.name, d.kind, d.province ?? null, d.adminUnit ?? null, at],
      );
      return;
    }
    case 'AgencyUpdated':
      await tx.query(
        `UPDATE directory_agencies SET name = COALESCE($3, name), admin_unit = COALESCE($4, admin_unit),
           revision = $2, updated_at = $5 ${newer('directory_agencies', 'agency_id')}`,
        [id, e.revision, event.data.name ?? null, event.data.adminUnit ?? null, at],
      );
      return;
    case 'UserRegistered': {
      const d = event.data;
      await tx.query(
        `INSERT INTO directory_users (user_id, name, agency_id, role, status, revision, updated_at)
         VALUES ($1, $3, $4, $5, 'active', $2, $6) ON CONFLICT (user_id) DO NOTHING`,
        [id, e.revision, d.name, d.agencyId, d.role, at],
      );
      return;
    }
    case 'UserAssigned':
      await tx.query(
        `UPDATE directory_users SET agency_id = $3, role = $4, revision = $2, updated_at = $5
         ${newer('directory_users', 'user_id')}`,
        [id, e.revision, event.data.agencyId, event.data.role, at],
      );
      return;
    case 'UserDeactivated':
    case 'UserReactivated':
      await tx.query(
        `UPDATE directory_users SET status = $3, revision = $2, updated_at = $4 ${newer('directory_users', 'user_id')}`,
        [id, e.revision, event.type === 'UserDeactivated' ? 'deactivated' : 'active', at],
      );
      return;
    case 'ApiTokenIssued': {
      const d = event.data;
      await tx.query(
        `INSERT INTO directory_api_tokens
           (token_id, user_id, label, status, expires_at, issued_at, issued_by, revision)
         VALUES ($1, $3, $4, 'active', $5, $6, $7, $2) ON CONFLICT (token_id) DO NOTHING`,
        [id, e.revision, d.userId, d.label, d.expiresAt ?? null, at, e.meta.actor.userId],
      );
      return;
    }
    case 'ApiTokenRevoked':
      await tx.query(
        `UPDATE directory_api_tokens SET status = 'revoked', revoked_at = $3, revision = $2
         ${newer('directory_api_tokens', 'token_id')}`,
        [id, e.revision, at],
      );
      return;
    default: {
      const unknown: never = event;
      throw new Error(`directory projection: unexpected event ${JSON.stringify(unknown)}`);
    }
  }
}
