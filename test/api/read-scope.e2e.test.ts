// Reads are scoped by the role matrix too: an investor sees only its own projects (in project,
// projects, portfolioSummary, alerts and auditTrail), a commune committee only those in its unit, an
// administrator no project data; a project named by id outside the scope is FORBIDDEN and recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlertsAt } from '../../src/alerts/sweep.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { actors, raw, registerNonState } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
  // Two projects of the investor's (one in the commune's unit), one of another investor elsewhere.
  for (const [id, owner, unit] of [
    ['RS.OWN1', 'inv-hoang-long', 'Thành phố Cao Bằng'],
    ['RS.OWN2', 'inv-hoang-long', 'Huyện Hòa An'],
    ['RS.OTHER', 'inv-khac', 'Huyện Bảo Lạc'],
  ] as const) {
    const r = registerNonState(id);
    const data = r.data as Record<string, unknown>;
    const sent = await api.send({
      ...r,
      data: { ...data, adminUnit: unit, owner: { ...(data.owner as object), id: owner } },
    });
    expect(sent.errors).toBeUndefined();
    // A planned milestone long overdue, so each project has an open alert.
    const planned = await api.send(
      raw(
        'PlanMilestone',
        {
          projectId: id,
          milestoneId: 'KC',
          kind: 'constructionStart',
          name: 'Khởi công',
          dueDate: '2022-06-01',
        },
        { effectiveAt: '2022-02-01' },
      ),
    );
    expect(planned.errors).toBeUndefined();
  }
  await api.catchUp();
  await evaluateAlertsAt(api.db.pool, '2024-01-01' as IsoDate);
});
afterAll(async () => {
  await api?.close();
});

const LISTS = `{
  projects(first: 100) { totalCount edges { node { id } } }
  portfolioSummary(by: []) { projects }
  alerts(first: 100) { edges { node { project { id } } } }
}`;
interface Lists {
  projects: { totalCount: number; edges: { node: { id: string } }[] };
  portfolioSummary: { projects: number }[];
  alerts: { edges: { node: { project: { id: string } } }[] };
}
const ids = (l: Lists) => ({
  projects: l.projects.edges.map((e) => e.node.id).sort(),
  total: l.projects.totalCount,
  portfolio: l.portfolioSummary[0]?.projects ?? 0,
  alerts: [...new Set(l.alerts.edges.map((e) => e.node.project.id))].sort(),
});

describe('the lists', () => {
  it('show a reviewer every project', async () => {
    const r = await api.gql<Lists>(LISTS, {}, actors.reviewer);
    expect(ids(r.data!)).toEqual({
      projects: ['RS.OTHER', 'RS.OWN1', 'RS.OWN2'],
      total: 3,
      portfolio: 3,
      alerts: ['RS.OTHER', 'RS.OWN1', 'RS.OWN2'],
    });
  });

  it('show an investor its own projects only, whatever the filter says', async () => {
    const r = await api.gql<Lists>(LISTS, {}, actors.investor);
    expect(ids(r.data!)).toEqual({
      projects: ['RS.OWN1', 'RS.OWN2'],
      total: 2,
      portfolio: 2,
      alerts: ['RS.OWN1', 'RS.OWN2'],
    });
    const filtered = await api.gql<{ projects: { totalCount: number } }>(
      '{ projects(filter: { adminUnit: "Huyện Bảo Lạc" }) { totalCount } }',
      {},
      actors.investor,
    );
    expect(filtered.data?.projects.totalCount).toBe(0);
  });

  it('show a commune committee the projects in its own unit only', async () => {
    const r = await api.gql<Lists>(LISTS, {}, actors.commune);
    expect(ids(r.data!)).toEqual({ projects: ['RS.OWN1'], total: 1, portfolio: 1, alerts: ['RS.OWN1'] });
  });
});

describe('one project by id', () => {
  const ONE = 'query ($id: ID!) { project(id: $id) { id } auditTrail(projectId: $id) { totalCount } }';

  it('is read by its investor, with its audit trail', async () => {
    const r = await api.gql<{ project: { id: string }; auditTrail: { totalCount: number } }>(
      ONE,
      { id: 'RS.OWN1' },
      actors.investor,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ project: { id: 'RS.OWN1' }, auditTrail: { totalCount: 2 } });
  });

  it('is FORBIDDEN to another investor, project and audit trail alike, and the attempt is recorded', async () => {
    // One request per root field: auditTrail is non-null, so when it fails first GraphQL nulls the whole
    // answer and may drop the project field's error (and its denial) — a race, not a verdict.
    const project = await api.gql(
      'query ($id: ID!) { project(id: $id) { id } }',
      { id: 'RS.OTHER' },
      actors.investor,
    );
    const audit = await api.gql(
      'query ($id: ID!) { auditTrail(projectId: $id) { totalCount } }',
      { id: 'RS.OTHER' },
      actors.investor,
    );
    const errors = [...(project.errors ?? []), ...(audit.errors ?? [])].map((e) => [
      e.path?.[0],
      e.extensions?.code,
      e.extensions?.reason,
    ]);
    expect(project.data?.project ?? null).toBeNull();
    expect(errors).toEqual([
      ['project', 'FORBIDDEN', 'NOT_OWN_PROJECT'],
      ['auditTrail', 'FORBIDDEN', 'NOT_OWN_PROJECT'],
    ]);
    const { rows } = await api.db.pool.query(
      `SELECT user_id, role, operation, target, reason FROM access_denials
       WHERE user_id = $1 ORDER BY operation DESC`,
      [actors.investor.userId],
    );
    expect(rows).toEqual([
      {
        user_id: 'u-nd-01',
        role: 'investor',
        operation: 'query project',
        target: 'RS.OTHER',
        reason: 'NOT_OWN_PROJECT',
      },
      {
        user_id: 'u-nd-01',
        role: 'investor',
        operation: 'query auditTrail',
        target: 'RS.OTHER',
        reason: 'NOT_OWN_PROJECT',
      },
    ]);
  });
});

describe('roles that read no project data, or not province-wide data', () => {
  it('an administrator manages users and reads no project', async () => {
    const r = await api.gql('{ projects { totalCount } }', {}, actors.admin);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'READ_NOT_ALLOWED_FOR_ROLE',
    });
    const one = await api.gql('{ project(id: "RS.OWN1") { id } }', {}, actors.admin);
    expect(one.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it("an investor does not read the province's capital plans; the finance department does", async () => {
    const q = '{ capitalPlan(province: "04", year: 2022) { total } }';
    const investor = await api.gql(q, {}, actors.investor);
    expect(investor.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'READ_NOT_ALLOWED_FOR_ROLE',
    });
    const finance = await api.gql(q, {}, actors.finance);
    expect(finance.errors).toBeUndefined();
  });
});
