// Text the CLI prints: command results, a stream's events (readable or NDJSON), import summaries.
import type { CommandResult } from '../commands/handler.js';
import type { RecordedEvent } from '../store/port.js';
import type { ImportSummary } from './import.js';

export function formatResult(r: CommandResult): string {
  const head = r.duplicate
    ? `duplicate: command ${r.commandId} was already applied to ${r.stream}; nothing written`
    : `applied command ${r.commandId} to ${r.stream}`;
  // A duplicate answers with the first result: the revision it reached then, not the stream's now.
  const revision = r.duplicate
    ? `  it had brought the stream to revision ${r.nextExpectedRevision}`
    : `  stream revision now ${r.nextExpectedRevision}`;
  const lines = [head, revision];
  for (const e of r.events) lines.push(`  #${e.revision} ${e.type}  (event ${e.id})`);
  return lines.join('\n');
}

export const resultJson = (r: CommandResult) => ({
  commandId: r.commandId,
  stream: r.stream,
  nextExpectedRevision: r.nextExpectedRevision,
  duplicate: r.duplicate,
  events: r.events.map((e) => ({ id: e.id, type: e.type, revision: e.revision, position: positionJson(e) })),
});

const positionJson = (e: RecordedEvent) => ({ tx: e.position.tx.toString(), pos: e.position.pos.toString() });

/** One event as an NDJSON line: the envelope with the position as strings of digits. */
export const eventJson = (e: RecordedEvent) => ({
  stream: e.stream,
  revision: e.revision,
  id: e.id,
  type: e.type,
  schemaVersion: e.schemaVersion,
  position: positionJson(e),
  data: e.data,
  metadata: e.metadata,
  hash: e.hash,
});

interface ShownMetadata {
  actor?: { userId?: string; agencyId?: string; role?: string };
  commandId?: string;
  commandType?: string;
  recordedAt?: string;
  effectiveAt?: string;
  source?: string;
  legalBasis?: {
    regime?: string;
    transitional?: boolean;
    document?: { number?: string; date?: string; issuer?: string };
  };
}

export function formatStream(stream: string, events: readonly RecordedEvent[]): string {
  const out = [`${stream}: ${events.length} event${events.length === 1 ? '' : 's'}`];
  for (const e of events) {
    const m = e.metadata as ShownMetadata;
    const doc = m.legalBasis?.document;
    out.push('');
    out.push(`#${e.revision}  ${e.type} (v${e.schemaVersion})`);
    out.push(`    effective   ${m.effectiveAt ?? '?'}`);
    out.push(`    recorded    ${m.recordedAt ?? '?'}${m.source ? ` via ${m.source}` : ''}`);
    if (m.actor) out.push(`    actor       ${m.actor.userId} (${m.actor.role}, ${m.actor.agencyId})`);
    if (m.legalBasis) {
      const regime = `${m.legalBasis.regime}${m.legalBasis.transitional ? ' (transitional)' : ''}`;
      out.push(`    regime      ${regime}`);
    }
    out.push(`    document    ${doc ? `${doc.number} of ${doc.date}, ${doc.issuer}` : '—'}`);
    out.push(`    command     ${m.commandType ?? '?'} ${m.commandId ?? ''}`.trimEnd());
    out.push(`    event id    ${e.id}`);
    const data = JSON.stringify(e.data, null, 2).split('\n');
    out.push(`    data        ${data[0]}`);
    for (const l of data.slice(1)) out.push(`                ${l}`);
  }
  return out.join('\n');
}

export function formatSummary(s: ImportSummary, seconds: number): string {
  const rate = seconds > 0 ? ` (${Math.round(s.events / seconds).toLocaleString('en')} events/s)` : '';
  const out = [
    `import: ${s.read} command line${s.read === 1 ? '' : 's'} in ${seconds.toFixed(1)} s${rate}`,
    `  applied     ${s.applied} (${s.events} events)`,
    `  duplicates  ${s.duplicates} (command id already applied; nothing written)`,
    `  rejected    ${s.rejected}`,
  ];
  for (const r of s.rejections) {
    const what = [r.type, r.commandId].filter(Boolean).join(' ');
    out.push(
      `    line ${r.line}: ${r.code}${r.reason !== r.code ? ` (${r.reason})` : ''}${what ? ` — ${what}` : ''}`,
    );
    if (r.issues && r.issues.length > 0) for (const i of r.issues) out.push(`      ${i.field}: ${i.message}`);
    else out.push(`      ${r.message}`);
  }
  if (s.stopped) {
    out.push(
      `stopped after line ${s.stopped.lastLineRead} (${s.stopped.message}); the lines after it were not read` +
        (s.stopped.notAttempted > 0 ? ` and ${s.stopped.notAttempted} queued lines were not attempted` : '') +
        '. Running the import again is safe for lines that carry a commandId: applied ones count as duplicates.',
    );
  }
  return out.join('\n');
}
