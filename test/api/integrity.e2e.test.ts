// Integrity through the API: a project's chain head (what a checkpoint signs) and, on demand, its chain
// recomputed from the stored events, which shows a row tampered with in PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actors, registerNonState } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
  for (const id of ['IN.01', 'IN.02']) expect((await api.send(registerNonState(id))).errors).toBeUndefined();
});
afterAll(async () => {
  await api?.close();
});

const HEAD = `query ($id: ID!) { project(id: $id) { revision integrity { stream revision headHash verification { intact events break { kind revision eventId expectedDigest foundDigest foundHash message } } } } }`;

const storedHead = async (stream: string) =>
  (
    await api.db.pool.query(
      `SELECT last_revision AS revision, encode(last_hash, 'hex') AS hash FROM streams WHERE stream = $1`,
      [stream],
    )
  ).rows[0];

describe('project(id) { integrity }', () => {
  it('gives the project stream’s revision and head hash, and an intact verification', async () => {
    const r = await api.gql(HEAD, { id: 'IN.01' }, actors.reviewer);
    expect(r.errors).toBeUndefined();
    const stored = await storedHead('project-IN.01');
    expect(r.data?.project).toEqual({
      revision: stored.revision,
      integrity: {
        stream: 'project-IN.01',
        revision: stored.revision,
        headHash: stored.hash,
        verification: { intact: true, events: stored.revision + 1, break: null },
      },
    });
  });

  it('shows the first break once an event row is edited in the database', async () => {
    await api.db.pool.query(
      `UPDATE events SET data = data || '{"name": "Dự án khác"}' WHERE stream = 'project-IN.02' AND revision = 0`,
    );
    const r = await api.gql<{ project: { integrity: { verification: Record<string, unknown> } } }>(
      HEAD,
      { id: 'IN.02' },
      actors.reviewer,
    );
    expect(r.data?.project.integrity.verification).toMatchObject({
      intact: false,
      break: { kind: 'edited', revision: 0, foundHash: (await storedHead('project-IN.02')).hash },
    });
  });
});

describe('streamHead(stream)', () => {
  it('answers for any stream by name, and null for one that does not exist', async () => {
    const r = await api.gql(
      `{ a: streamHead(stream: "project-IN.01") { revision headHash } b: streamHead(stream: "capitalplan-04_1999") { revision } }`,
      {},
      actors.reviewer,
    );
    expect(r.errors).toBeUndefined();
    const stored = await storedHead('project-IN.01');
    expect(r.data).toEqual({ a: { revision: stored.revision, headHash: stored.hash }, b: null });
  });
});

describe('dossier(projectId)', () => {
  it('gives the project’s dossier as JSON and as a readable HTML page, and null for an unknown project', async () => {
    const r = await api.gql<{
      d: {
        json: { events: { type: string; hash: string }[]; integrity: { recordedHead: unknown } };
        html: string;
      };
      none: null;
    }>(
      `{ d: dossier(projectId: "IN.01") { json html } none: dossier(projectId: "NOPE") { html } }`,
      {},
      actors.reviewer,
    );
    expect(r.errors).toBeUndefined();
    const stored = await storedHead('project-IN.01');
    expect(r.data?.d.json.events).toHaveLength(stored.revision + 1);
    expect(r.data?.d.json.integrity.recordedHead).toEqual({ revision: stored.revision, hash: stored.hash });
    expect(r.data?.d.html).toContain('Hồ sơ thanh tra dự án');
    expect(r.data?.d.html).toContain(stored.hash);
    expect(r.data?.none).toBeNull();
  });
});

describe('who may read integrity data', () => {
  it('gives an investor the dossier and head of its own project only; another investor is FORBIDDEN', async () => {
    const own = await api.gql(
      `{ d: dossier(projectId: "IN.01") { html } h: streamHead(stream: "project-IN.01") { revision } }`,
      {},
      actors.investor,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data?.d).not.toBeNull();
    const other = await api.gql(`{ d: dossier(projectId: "IN.01") { html } }`, {}, actors.otherInvestor);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_PROJECT' });
    expect(other.data?.d ?? null).toBeNull();
    const head = await api.gql(
      `{ h: streamHead(stream: "project-IN.01") { revision } }`,
      {},
      actors.otherInvestor,
    );
    expect(head.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_PROJECT' });
  });

  it('keeps province-wide streams to the roles that read every project', async () => {
    const r = await api.gql(
      `{ h: streamHead(stream: "capitalplan-04_2022") { revision } }`,
      {},
      actors.investor,
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'READ_NOT_ALLOWED_FOR_ROLE',
    });
  });
});
