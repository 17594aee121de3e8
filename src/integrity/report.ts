// How verification results read: a line per finding for people, and JSON for scripts (positions as
// strings of digits). Used by `tiendo verify`, `tiendo restore` and `tiendo checkpoint --verify`.
import type { LogPosition } from '../store/port.js';
import type { ChainBreak } from './chain.js';
import type { Checkpoint } from './checkpoint.js';
import type { CheckpointCheck } from './checkpoint-pg.js';
import type { LogVerification } from './verify-pg.js';

const KIND_LABEL: Readonly<Record<ChainBreak['kind'], string>> = {
  edited: 'EDITED (đã bị sửa)',
  deleted: 'DELETED (đã bị xoá)',
  inserted: 'INSERTED (bị chèn thêm)',
  reordered: 'REORDERED (bị đảo thứ tự)',
  head: 'HEAD MISMATCH (đầu luồng không khớp)',
};

export function formatBreak(b: ChainBreak): string {
  const event = b.eventId ? ` (event ${b.eventId})` : '';
  const lines = [`${b.stream} revision ${b.revision}${event}: ${KIND_LABEL[b.kind]}`, `  ${b.message}`];
  if (b.expectedDigest)
    lines.push(`  expected digest ${b.expectedDigest}`, `  found digest    ${b.foundDigest}`);
  if (b.expectedHash || b.foundHash)
    lines.push(`  expected hash   ${b.expectedHash ?? '—'}`, `  found hash      ${b.foundHash ?? '—'}`);
  return lines.join('\n');
}

export function formatVerification(v: LogVerification): string {
  const read = `${v.streams} stream${v.streams === 1 ? '' : 's'}, ${v.events} event${v.events === 1 ? '' : 's'}`;
  if (v.breaks.length === 0) {
    const at = v.position ? ` up to log position ${positionText(v.position)}` : '';
    return `verified ${read}${at}: every hash chain is intact (toàn vẹn)`;
  }
  return [
    `INTEGRITY BROKEN (vi phạm toàn vẹn): ${v.breaks.length} of ${read} broken`,
    ...v.breaks.map(formatBreak),
  ].join('\n\n');
}

export const verificationJson = (v: LogVerification) => ({
  ok: v.breaks.length === 0,
  streams: v.streams,
  events: v.events,
  position: v.position ? positionJson(v.position) : null,
  breaks: v.breaks,
});

export const positionJson = (p: LogPosition) => ({ tx: p.tx.toString(), pos: p.pos.toString() });
export const positionText = (p: LogPosition) => `${p.tx}/${p.pos}`;

export function formatCheckpointCheck(c: CheckpointCheck, checkpoint: Checkpoint): string {
  const head = `checkpoint ${checkpoint.digest} of ${checkpoint.createdAt} (key ${checkpoint.keyId.slice(0, 16)}…)`;
  const lines = [head];
  lines.push(
    c.signature.valid
      ? '  signature valid (chữ ký hợp lệ)'
      : `  SIGNATURE INVALID (chữ ký không hợp lệ): ${c.signature.reason}: ${c.signature.message}`,
  );
  if (c.changed.length === 0)
    lines.push(
      `  ${c.streams} signed stream heads still hold: nothing before them changed (later appends allowed)`,
    );
  else
    lines.push(
      `  CHANGED SINCE THE CHECKPOINT (đã thay đổi sau mốc): ${c.changed.length} of ${c.streams} streams`,
    );
  for (const h of c.changed) {
    lines.push(`    ${h.message}`);
    if (h.break)
      lines.push(
        ...formatBreak(h.break)
          .split('\n')
          .map((l) => `      ${l}`),
      );
  }
  if (c.laterBreaks.length > 0) {
    lines.push(`  ${c.laterBreaks.length} stream(s) broken after their signed heads or created since:`);
    for (const b of c.laterBreaks)
      lines.push(
        ...formatBreak(b)
          .split('\n')
          .map((l) => `    ${l}`),
      );
  }
  lines.push(
    c.ok ? 'CHECKPOINT HOLDS (mốc kiểm tra hợp lệ)' : 'CHECKPOINT DOES NOT HOLD (mốc kiểm tra không hợp lệ)',
  );
  return lines.join('\n');
}
