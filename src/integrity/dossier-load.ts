// Gathers what a project's inspection dossier holds: its stream through the event-store port (so any
// adapter), the chain verified from those events, and its rows of the alerts read model.
import type pg from 'pg';
import { projectStream } from '../domain/streams.js';
import type { EventStore, Json } from '../store/port.js';
import { fromRecorded, verifyStream } from './chain.js';
import { buildDossier, type Dossier } from './dossier.js';

/** The dossier, or null when the project has no events. */
export async function loadDossier(
  store: EventStore,
  pool: pg.Pool | undefined,
  projectId: string,
  now: Date,
): Promise<Dossier | null> {
  const stream = projectStream(projectId);
  const [recorded, recordedHead] = await Promise.all([store.readStream(stream), store.head(stream)]);
  if (recorded.length === 0) return null;
  const events = recorded.map((e) => ({ ...e, digest: fromRecorded(e).digest }));
  const alerts = pool
    ? (
        await pool.query<{ row: Record<string, Json> }>(
          `SELECT to_jsonb(a) AS row FROM alerts a WHERE project_id = $1 ORDER BY since, rule_id, key, episode`,
          [projectId],
        )
      ).rows.map((r) => r.row)
    : [];
  return buildDossier({
    projectId,
    stream,
    events,
    recordedHead,
    verification: verifyStream(stream, events, recordedHead),
    alerts,
    generatedAt: now,
  });
}
