// `tiendo replay <id>`: a project's decision replay (src/projections/replay.ts) as a readable
// timeline, in Vietnamese or English.
import type { ReplayStep } from '../projections/replay.js';
import type { Json } from '../store/port.js';

export type Lang = 'vi' | 'en';

const WORDS = {
  vi: {
    title: (id: string, n: number) => `Dự án ${id} — ${n} sự kiện, theo thứ tự ghi nhận`,
    none: 'Không có sự kiện nào trong khoảng thời gian này.',
    recorded: 'ghi nhận',
    by: 'người quyết định',
    document: 'văn bản',
    dated: 'ngày',
    regime: 'chế độ pháp lý',
    transitional: 'chuyển tiếp',
    changes: 'thay đổi',
    noChange: 'không thay đổi trạng thái',
    checks: 'kiểm tra',
    overriddenBy: 'bỏ qua có chủ đích bởi',
    corrects: (rev: number, type: string, reason: string) =>
      `đính chính sự kiện #${rev} (${type}): ${reason}`,
    correctedBy: 'đã được đính chính bởi',
  },
  en: {
    title: (id: string, n: number) => `Project ${id} — ${n} events, in the order recorded`,
    none: 'No event in this period.',
    recorded: 'recorded',
    by: 'decided by',
    document: 'document',
    dated: 'of',
    regime: 'legal regime',
    transitional: 'transitional',
    changes: 'changes',
    noChange: 'no change to the state',
    checks: 'checks',
    overriddenBy: 'knowingly overridden by',
    corrects: (rev: number, type: string, reason: string) => `corrects event #${rev} (${type}): ${reason}`,
    correctedBy: 'corrected later by',
  },
} as const;

const MARK = { passed: '✓', failed: '✗', overridden: '⚑' } as const;

const show = (v: Json): string => (v === null ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));

export function formatReplay(projectId: string, steps: readonly ReplayStep[], lang: Lang): string {
  const w = WORDS[lang];
  if (steps.length === 0) return `${w.title(projectId, 0)}\n${w.none}`;
  const lines = [w.title(projectId, steps.length), ''];
  for (const s of steps) {
    const { actor, legalBasis: basis } = s.meta;
    lines.push(
      `#${s.revision}  ${s.meta.effectiveAt}  ${s.type}  (${w.recorded} ${s.meta.recordedAt.replace('T', ' ').slice(0, 16)} UTC)`,
    );
    const doc = basis.document
      ? ` · ${w.document} ${basis.document.number} ${w.dated} ${basis.document.date}, ${basis.document.issuer}`
      : '';
    lines.push(
      `    ${w.by}: ${actor.userId} (${actor.agencyId}, ${actor.role})${doc} · ${w.regime} ${basis.regime}${basis.transitional ? ` (${w.transitional})` : ''}`,
    );
    if (s.corrects) lines.push(`    ${w.corrects(s.corrects.revision, s.corrects.type, s.corrects.reason)}`);
    if (s.changes.length === 0) lines.push(`    ${w.changes}: ${w.noChange}`);
    else {
      lines.push(`    ${w.changes}:`);
      for (const c of s.changes) lines.push(`      ${c.field}: ${show(c.before)} → ${show(c.after)}`);
    }
    lines.push(`    ${w.checks}:`);
    for (const c of s.checks) {
      const basisText = c.article ? ` [${c.regime}: ${c.article}]` : '';
      lines.push(`      ${MARK[c.outcome]} ${c.label[lang]}${basisText} — ${c.detail}`);
      if (c.override)
        lines.push(
          `        ${w.overriddenBy} ${c.override.by.userId} (${c.override.by.role}): ${c.override.reason}`,
        );
    }
    if (s.correctedBy.length > 0)
      lines.push(`    ${w.correctedBy}: ${s.correctedBy.map((r) => `#${r}`).join(', ')}`);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}
