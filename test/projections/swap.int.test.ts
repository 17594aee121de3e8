// Specification of how a rebuild swaps its fresh tables in: a table nothing hangs on is moved in
// whole (the same cost for any number of rows); a table with a view, a trigger or a grant on it is
// refilled row by row, so the view, trigger and grant stay. Either way the rows are a clean rebuild's.
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.js';
import { type Harness, harness } from './harness.js';

const oid = async (h: Harness, table: string): Promise<number> =>
  (await h.db.pool.query<{ oid: number }>('SELECT $1::regclass::oid AS oid', [table])).rows[0]?.oid as number;

describe('rebuild swap', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('moves in a table nothing hangs on, and refills one that a view or a trigger hangs on', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 6, public: 3, seed: 2 }));
    const runner = h.runner();
    await runner.runOnce();
    const before = {
      audit: await h.dump('audit_trail', 'event_id'),
      status: await h.dump('project_status', 'project_id'),
      alerts: await h.dump('alerts', 'project_id, rule_id, key, episode'),
      portfolio: (await h.db.pool.query('SELECT count(*)::integer AS n FROM portfolio_projects')).rows[0],
    };
    const oids = {
      audit: await oid(h, 'audit_trail'),
      status: await oid(h, 'project_status'),
      alerts: await oid(h, 'alerts'),
    };

    for (const name of ['audit_trail', 'project_status', 'alerts']) await runner.rebuild(name);

    expect(await oid(h, 'audit_trail')).not.toBe(oids.audit); // moved in
    expect(await oid(h, 'project_status')).toBe(oids.status); // portfolio_projects is a view on it
    expect(await oid(h, 'alerts')).toBe(oids.alerts); // its NOTIFY triggers
    expect(await h.dump('audit_trail', 'event_id')).toEqual(before.audit);
    expect(await h.dump('project_status', 'project_id')).toEqual(before.status);
    expect(await h.dump('alerts', 'project_id, rule_id, key, episode')).toEqual(before.alerts);
    expect((await h.db.pool.query('SELECT count(*)::integer AS n FROM portfolio_projects')).rows[0]).toEqual(
      before.portfolio,
    );
    const triggers = await h.db.pool.query(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = 'alerts'::regclass AND NOT tgisinternal ORDER BY 1`,
    );
    expect(triggers.rows.map((r) => r.tgname)).toEqual(['alerts_opened_notify', 'alerts_reopened_notify']);
  });

  it('refills a table someone was granted rights on, so the grant stays', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 2, public: 1, seed: 3 }));
    await h.db.pool.query('GRANT SELECT ON audit_trail TO PUBLIC');
    const runner = h.runner();
    await runner.runOnce();
    const before = await oid(h, 'audit_trail');
    await runner.rebuild('audit_trail');
    expect(await oid(h, 'audit_trail')).toBe(before);
    const { rows } = await h.db.pool.query(
      `SELECT has_table_privilege('public', 'audit_trail', 'SELECT') AS granted`,
    );
    expect(rows[0]?.granted).toBe(true);
  });
});
