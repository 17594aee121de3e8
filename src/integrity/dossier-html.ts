// The inspection dossier as one self-contained HTML page (no scripts, no external files, printable):
// headings and labels in Vietnamese and English, every value escaped.
import { phaseLabel } from '../api/labels.js';
import type { Dossier, DossierEvent } from './dossier.js';

const esc = (value: unknown): string =>
  String(value ?? '—').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** "Vietnamese / English" as people read a bilingual form. */
const both = (vi: string, en: string) => `${esc(vi)} <span class="en">/ ${esc(en)}</span>`;

const json = (value: unknown) => `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;

const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  rows.length === 0
    ? `<p class="none">${both('Không có', 'None')}</p>`
    : `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#111}h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#eee}.en{color:#555;font-weight:normal}code,.hash{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
pre{background:#f6f6f6;padding:6px;white-space:pre-wrap;font-size:12px}.ok{color:#075}.broken{color:#b00;font-weight:bold}
details{margin:.4em 0}@media print{details{break-inside:avoid}}`;

export function dossierHtml(d: Dossier): string {
  const p = d.project;
  const phase =
    p.phase && (p.family === 'nonState' || p.family === 'public') ? phaseLabel(p.family, p.phase) : null;
  const i = d.integrity;
  const proof = i.intact
    ? `<p class="ok">${both('Chuỗi băm toàn vẹn', 'Hash chain intact')}: ${d.events.length} ${both('sự kiện', 'events')}</p>`
    : `<p class="broken">${both('Chuỗi băm bị vi phạm', 'Hash chain broken')}: ${esc(i.break?.kind)} — ${esc(i.break?.message)}</p>`;
  return `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Hồ sơ thanh tra dự án ${esc(p.id)} / Inspection dossier</title>
<style>${CSS}</style></head><body>
<h1>${both('Hồ sơ thanh tra dự án', 'Project inspection dossier')}: ${esc(p.id)}</h1>
${table(
  [both('Mục', 'Item'), both('Giá trị', 'Value')],
  [
    [both('Tên dự án', 'Project name'), esc(p.name)],
    [both('Loại dự án', 'Family'), esc(p.family)],
    [both('Giai đoạn hiện tại', 'Current phase'), phase ? both(phase.vi, phase.en) : esc(p.phase)],
    [both('Luồng sự kiện', 'Event stream'), `<code>${esc(p.stream)}</code>`],
    [both('Số sự kiện', 'Events'), esc(d.events.length)],
    [both('Lập lúc', 'Generated at'), esc(d.generatedAt)],
  ],
)}
<h2>${both('Chứng minh toàn vẹn', 'Integrity proof')}</h2>
${proof}
${table(
  [both('Mục', 'Item'), both('Giá trị', 'Value')],
  [
    [
      both('Đầu chuỗi đã ghi', 'Recorded head'),
      i.recordedHead
        ? `#${i.recordedHead.revision} <span class="hash">${esc(i.recordedHead.hash)}</span>`
        : '—',
    ],
    [
      both('Đầu chuỗi tính lại', 'Recomputed head'),
      i.recomputedHead
        ? `#${i.recomputedHead.revision} <span class="hash">${esc(i.recomputedHead.hash)}</span>`
        : '—',
    ],
    [both('Định nghĩa', 'Definition'), esc(i.definition)],
  ],
)}
<h2>${both('Diễn biến', 'Timeline')}</h2>
${table(
  [
    '#',
    both('Ngày hiệu lực', 'Effective'),
    both('Sự kiện', 'Event'),
    both('Người quyết định', 'Decided by'),
    both('Văn bản', 'Document'),
    both('Chế độ pháp lý', 'Regime'),
    both('Mã băm', 'Hash'),
  ],
  d.events.map((e) => [
    esc(e.revision),
    esc(e.effectiveAt),
    esc(e.type),
    `${esc(e.actor.userId)} (${esc(e.actor.role)}, ${esc(e.actor.agencyId)})`,
    e.document ? `${esc(e.document.number)}, ${esc(e.document.date)}, ${esc(e.document.issuer)}` : '—',
    `${esc(e.regime)}${e.transitional ? ` ${both('(chuyển tiếp)', '(transitional)')}` : ''}`,
    `<span class="hash">${esc(e.hash.slice(0, 16))}…</span>`,
  ]),
)}
<h2>${both('Chi tiết từng sự kiện và trạng thái sau đó', 'Each event and the state after it')}</h2>
${d.events.map(eventDetails).join('\n')}
<h2>${both('Văn bản pháp lý', 'Legal documents')}</h2>
${table(
  [
    both('Số hiệu', 'Number'),
    both('Ngày', 'Date'),
    both('Cơ quan ban hành', 'Issuer'),
    both('Sự kiện', 'Event'),
  ],
  d.documents.map((doc) => [
    esc(doc.number),
    esc(doc.date),
    esc(doc.issuer),
    `#${esc(doc.revision)} ${esc(doc.eventType)}`,
  ]),
)}
<h2>${both('Cảnh báo', 'Alerts')}</h2>
${table(
  [
    both('Quy tắc', 'Rule'),
    both('Từ ngày', 'Since'),
    both('Trạng thái', 'Status'),
    both('Căn cứ', 'Article'),
    both('Lý do', 'Reason'),
  ],
  d.alerts.map((a) => [
    esc(a.rule_id),
    esc(a.since),
    `${esc(a.status)}${a.closed_on ? ` (${esc(a.closed_on)})` : ''}`,
    esc(a.article),
    `${esc(a.reason_vi)} <span class="en">/ ${esc(a.reason_en)}</span>`,
  ]),
)}
</body></html>
`;
}

function eventDetails(e: DossierEvent): string {
  return `<details><summary>#${esc(e.revision)} ${esc(e.type)} — ${esc(e.effectiveAt)}</summary>
<p>${both('Mã sự kiện', 'Event id')}: <code>${esc(e.id)}</code>; ${both('ghi nhận lúc', 'recorded at')} ${esc(e.recordedAt)}; ${both('lệnh', 'command')} ${esc(e.commandType)}</p>
<p>${both('Mã tóm lược', 'Digest')}: <span class="hash">${esc(e.digest)}</span><br>${both('Mã băm chuỗi', 'Chain hash')}: <span class="hash">${esc(e.hash)}</span></p>
<p>${both('Dữ liệu', 'Data')}</p>${json(e.data)}
<p>${both('Trạng thái sau sự kiện', 'State after the event')}</p>${json(e.stateAfter)}
</details>`;
}
