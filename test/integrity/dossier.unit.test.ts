// The inspection dossier's content (src/integrity/dossier.ts, dossier-html.ts, dossier-load.ts): a
// project taken through its approvals on the in-memory store, then read back as an inspector files it.
import { beforeAll, describe, expect, it } from 'vitest';
import { CommandHandler } from '../../src/commands/handler.js';
import type { Dossier } from '../../src/integrity/dossier.js';
import { dossierHtml } from '../../src/integrity/dossier-html.js';
import { loadDossier } from '../../src/integrity/dossier-load.js';
import { InMemoryEventStore } from '../../src/store/memory.js';
import { raw, registerNonState } from '../support/fixtures.js';

const NOW = new Date('2026-11-21T08:00:00Z');
const policy = { number: '45/QĐ-UBND', date: '2022-02-15', issuer: 'UBND tỉnh Cao Bằng' };
const certificate = { number: '4538217546', date: '2022-04-12', issuer: 'Sở Tài chính Cao Bằng' };

let store: InMemoryEventStore;
let dossier: Dossier;

beforeAll(async () => {
  store = new InMemoryEventStore();
  const handler = new CommandHandler({ store, clock: () => NOW });
  const named = registerNonState('DS.01') as { data: Record<string, unknown> };
  for (const c of [
    { ...named, data: { ...named.data, name: 'Nhà máy <script>alert(1)</script> & Co' } },
    raw(
      'ApproveInvestmentPolicy',
      { projectId: 'DS.01', approvedCapital: '120000000000', durationYears: 50 },
      { effectiveAt: '2022-02-15', document: policy },
    ),
    raw(
      'ApproveInvestor',
      { projectId: 'DS.01', investor: { name: 'Công ty CP Hoàng Long', id: 'inv-hoang-long' } },
      { effectiveAt: '2022-03-15' },
    ),
    raw(
      'IssueInvestmentCertificate',
      { projectId: 'DS.01', certificateNumber: '4538217546', registeredCapital: '100000000000' },
      { effectiveAt: '2022-04-12', document: certificate },
    ),
  ])
    await handler.handle(c, 'cli');
  dossier = (await loadDossier(store, undefined, 'DS.01', NOW)) as Dossier;
});

describe('the dossier as JSON', () => {
  it('has every event of the project in order, with who, when, under which law, digest and hash', async () => {
    const stream = await store.readStream('project-DS.01');
    expect(dossier).toMatchObject({ format: 'tiendo-dossier/1', generatedAt: NOW.toISOString() });
    expect(dossier.project).toEqual({
      id: 'DS.01',
      stream: 'project-DS.01',
      family: 'nonState',
      name: 'Nhà máy <script>alert(1)</script> & Co',
      phase: 'certified',
      revision: 3,
    });
    expect(dossier.events.map((e) => [e.revision, e.type, e.hash])).toEqual(
      stream.map((e) => [e.revision, e.type, e.hash]),
    );
    expect(dossier.events[1]).toMatchObject({
      effectiveAt: '2022-02-15',
      recordedAt: NOW.toISOString(),
      regime: 'LI2020',
      document: policy,
      commandType: 'ApproveInvestmentPolicy',
    });
    expect(dossier.events[1]?.actor).toEqual(
      expect.objectContaining({ userId: expect.any(String), role: expect.any(String) }),
    );
    expect(dossier.events.every((e) => /^[0-9a-f]{64}$/.test(e.digest))).toBe(true);
  });

  it('gives the state after each step, money as strings of đồng', () => {
    expect(dossier.events.map((e) => (e.stateAfter as { phase: string }).phase)).toEqual([
      'registered',
      'policyApproved',
      'investorApproved',
      'certified',
    ]);
    expect(dossier.events[3]?.stateAfter).toMatchObject({
      certificate: { number: '4538217546', registeredCapital: '100000000000' },
    });
  });

  it('lists the documents cited, with the event that cites each', () => {
    expect(dossier.documents).toEqual([
      { ...policy, revision: 1, eventType: 'InvestmentPolicyApproved' },
      { ...certificate, revision: 3, eventType: 'InvestmentCertificateIssued' },
    ]);
  });

  it('carries the integrity proof: recorded and recomputed heads agree, and the chain’s definition', async () => {
    const head = await store.head('project-DS.01');
    expect(dossier.integrity).toMatchObject({
      intact: true,
      recordedHead: head,
      recomputedHead: head,
      break: null,
    });
    expect(dossier.integrity.definition).toContain('SHA-256(previous hash ‖ digest)');
  });

  it('is null for a project with no events', async () => {
    expect(await loadDossier(store, undefined, 'NOPE', NOW)).toBeNull();
  });
});

describe('the dossier as HTML', () => {
  const html = () => dossierHtml(dossier);

  it('is one self-contained page: no script, no external resource', () => {
    expect(html()).toMatch(/^<!DOCTYPE html>/);
    expect(html()).not.toMatch(/<script|<link|src=|href=/i);
  });

  it('escapes every value taken from the events', () => {
    expect(html()).toContain('Nhà máy &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
  });

  it('labels everything in Vietnamese and English, and shows the timeline, documents and proof', () => {
    for (const label of [
      'Hồ sơ thanh tra dự án',
      'Project inspection dossier',
      'Chứng minh toàn vẹn',
      'Integrity proof',
      'Diễn biến',
      'Timeline',
      'Văn bản pháp lý',
      'Legal documents',
      'Cảnh báo',
      'Alerts',
      'Trạng thái sau sự kiện',
      'State after the event',
    ])
      expect(html()).toContain(label);
    expect(html()).toContain('Đã cấp Giấy chứng nhận đăng ký đầu tư');
    expect(html()).toContain('45/QĐ-UBND');
    expect(html()).toContain(dossier.integrity.recordedHead?.hash);
    expect(html()).toContain('Chuỗi băm toàn vẹn');
    for (const e of dossier.events) expect(html()).toContain(`#${e.revision} ${e.type}`);
  });

  it('says so when the chain is broken', () => {
    const broken: Dossier = {
      ...dossier,
      integrity: {
        ...dossier.integrity,
        intact: false,
        break: {
          kind: 'edited',
          stream: 'project-DS.01',
          revision: 2,
          eventId: 'x',
          expectedHash: null,
          foundHash: null,
          message: 'event x was edited',
        },
      },
    };
    expect(dossierHtml(broken)).toContain('Chuỗi băm bị vi phạm');
    expect(dossierHtml(broken)).toContain('event x was edited');
  });
});
