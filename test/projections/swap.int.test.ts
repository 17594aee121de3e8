// Specification of how a rebuild swaps its fresh tables in: a table nothing hangs on but plain views
// and triggers is moved in whole (the same cost for any number of rows), its views and triggers made
// again as they were; a table with a grant on it, or a view carrying a grant, is refilled row by row,
// so they stay. Either way the rows are a clean rebuild's, and the table keeps its storage parameters.
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.js';
import { type Harness, harness } from './harness.js';

const oid = async (h: Harness, table: string): Promise<number> =>
  (await h.db.pool.query<{ oid: number }>('SELECT $1::regclass::oid AS oid', [table])).rows[0]?.oid as number;

const triggerDefinitions = async (h: Harness): Promise<string[]> =>
  (
    await h.db.pool.query<{ d: string }>(
      `SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger
       WHERE tgrelid = 'alerts'::regclass AND NOT tgisinternal AND tgenabled = 'O' ORDER BY tgname`,
    )
  ).rows.map((r) => r.d);

describe('rebuild swap', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('moves in tables nothing but plain views and triggers hang on, and makes those again', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 6, public: 3, seed: 2 }));
    const runner = h.runner();
    await runner.runOnce();
    const viewDefinition = async () =>
      (await h.db.pool.query("SELECT pg_get_viewdef('portfolio_projects'::regclass) AS d")).rows[0]?.d;
    const definition = await viewDefinition();
    const triggersBefore = await triggerDefinitions(h);
    expect(triggersBefore.map((d) => d.split(' ')[2])).toEqual([
      'alerts_opened_notify',
      'alerts_reopened_notify',
    ]);
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

    const indexes = async () =>
      (
        await h.db.pool.query<{ d: string }>(
          `SELECT indexrelid::regclass::text || ' ' || pg_get_indexdef(indexrelid) AS d FROM pg_index
           WHERE indrelid IN ('audit_trail'::regclass, 'project_status'::regclass, 'alerts'::regclass)
           ORDER BY 1`,
        )
      ).rows.map((r) => r.d);
    const indexesBefore = await indexes();
    expect(indexesBefore.length).toBeGreaterThan(5);

    for (const name of ['audit_trail', 'project_status', 'alerts']) await runner.rebuild(name);

    // The fresh tables were filled with their primary keys only; the other indexes were built after.
    expect(await indexes()).toEqual(indexesBefore);

    expect(await oid(h, 'audit_trail')).not.toBe(oids.audit); // moved in
    expect(await oid(h, 'project_status')).not.toBe(oids.status); // moved in, its view made again
    expect(await viewDefinition()).toBe(definition);
    expect(await oid(h, 'alerts')).not.toBe(oids.alerts); // moved in, its NOTIFY triggers made again
    expect(await h.dump('audit_trail', 'event_id')).toEqual(before.audit);
    expect(await h.dump('project_status', 'project_id')).toEqual(before.status);
    expect(await h.dump('alerts', 'project_id, rule_id, key, episode')).toEqual(before.alerts);
    expect((await h.db.pool.query('SELECT count(*)::integer AS n FROM portfolio_projects')).rows[0]).toEqual(
      before.portfolio,
    );
    expect(await triggerDefinitions(h)).toEqual(triggersBefore);
    // And they fire: an open alert inserted again is announced.
    const listener = await h.db.pool.connect();
    try {
      const heard = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.channel)));
      await listener.query('LISTEN tiendo_alerts');
      const { rowCount } = await h.db.pool.query(
        `WITH gone AS (DELETE FROM alerts WHERE (project_id, rule_id, key, episode) IN
           (SELECT project_id, rule_id, key, episode FROM alerts WHERE status = 'open' LIMIT 1) RETURNING *)
         INSERT INTO alerts SELECT * FROM gone`,
      );
      expect(rowCount).toBe(1);
      expect(await heard).toBe('tiendo_alerts');
    } finally {
      await listener.query('UNLISTEN *');
      listener.release();
    }
    const { rows } = await h.db.pool.query(
      `SELECT reloptions, (SELECT attstorage FROM pg_attribute WHERE attrelid = c.oid AND attname = 'state') AS storage
       FROM pg_class c WHERE oid = 'project_status'::regclass`,
    );
    expect(rows[0]).toEqual({ reloptions: ['toast_tuple_target=256'], storage: 'e' }); // migrations/093
  });

  it('refills a table whose view someone was granted rights on, so the view and its grant stay', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 2, public: 1, seed: 3 }));
    await h.db.pool.query('GRANT SELECT ON portfolio_projects TO PUBLIC');
    const runner = h.runner();
    await runner.runOnce();
    const before = { table: await oid(h, 'project_status'), view: await oid(h, 'portfolio_projects') };
    await runner.rebuild('project_status');
    expect({ table: await oid(h, 'project_status'), view: await oid(h, 'portfolio_projects') }).toEqual(
      before,
    );
    const { rows } = await h.db.pool.query(
      `SELECT has_table_privilege('public', 'portfolio_projects', 'SELECT') AS granted`,
    );
    expect(rows[0]?.granted).toBe(true);
  });

  it('moves a table in with the comments of its indexes and constraints', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 4, public: 2, seed: 4 }));
    const runner = h.runner();
    await runner.runOnce();
    await h.db.pool.query(`COMMENT ON INDEX alerts_open_by_rule IS 'Cảnh báo đang mở theo quy tắc'`);
    await h.db.pool.query(`COMMENT ON INDEX audit_trail_pkey IS 'One row per event'`);
    await h.db.pool.query(
      `COMMENT ON CONSTRAINT audit_trail_project_revision_key ON audit_trail IS 'Một dòng mỗi phiên bản'`,
    );
    const comments = async () =>
      (
        await h.db.pool.query<{ c: string }>(
          `SELECT obj_description('alerts_open_by_rule'::regclass, 'pg_class') || ' | ' ||
                  obj_description('audit_trail_pkey'::regclass, 'pg_class') || ' | ' ||
                  obj_description(oid, 'pg_constraint') AS c
           FROM pg_constraint WHERE conname = 'audit_trail_project_revision_key'`,
        )
      ).rows.map((r) => r.c);
    const before = await comments();
    expect(before).toEqual(['Cảnh báo đang mở theo quy tắc | One row per event | Một dòng mỗi phiên bản']);
    const oids = [await oid(h, 'alerts'), await oid(h, 'audit_trail')];
    for (const name of ['alerts', 'audit_trail']) await runner.rebuild(name);
    expect([await oid(h, 'alerts'), await oid(h, 'audit_trail')]).not.toContain(oids[0]);
    expect(await oid(h, 'audit_trail')).not.toBe(oids[1]);
    expect(await comments()).toEqual(before);
  });

  it('refills a table with a comment or a row security policy of its own, so they stay', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 2, public: 1, seed: 3 }));
    await h.db.pool.query(`COMMENT ON TABLE audit_trail IS 'Nhật ký kiểm toán'`);
    await h.db.pool.query('CREATE POLICY own_agency ON audit_project_state USING (true)');
    const runner = h.runner();
    await runner.runOnce();
    const before = { audit: await oid(h, 'audit_trail'), states: await oid(h, 'audit_project_state') };
    await runner.rebuild('audit_trail');
    expect({ audit: await oid(h, 'audit_trail'), states: await oid(h, 'audit_project_state') }).toEqual(
      before,
    );
    const { rows } = await h.db.pool.query(
      `SELECT obj_description('audit_trail'::regclass, 'pg_class') AS comment,
              (SELECT count(*)::integer FROM pg_policy WHERE polrelid = 'audit_project_state'::regclass) AS policies`,
    );
    expect(rows[0]).toEqual({ comment: 'Nhật ký kiểm toán', policies: 1 });
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

  it('tries the swap again when a reader holding the table then asks for its view (a deadlock)', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 3, public: 1, seed: 5 }));
    const runner = h.runner();
    await runner.runOnce();
    const before = await h.dump('project_status', 'project_id');
    const reader = await h.db.pool.connect();
    try {
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM project_status'); // holds the table until it commits
      const rebuilt = runner.rebuild('project_status');
      // The swap has dropped the view and waits for the table.
      await expect
        .poll(
          async () =>
            (
              await h.db.pool.query(
                `SELECT count(*)::integer AS n FROM pg_locks
                 WHERE relation = 'project_status'::regclass AND mode = 'AccessExclusiveLock' AND NOT granted`,
              )
            ).rows[0].n,
          { timeout: 20_000 },
        )
        .toBe(1);
      // The reader now waits for the view: PostgreSQL breaks the cycle by failing the swap, which
      // waited first; the reader gets its answer, and the swap is tried again once it commits.
      const { rows } = await reader.query('SELECT count(*)::integer AS n FROM portfolio_projects');
      expect(rows[0].n).toBe(before.length);
      await reader.query('COMMIT');
      await rebuilt;
    } finally {
      reader.release();
    }
    expect(await h.dump('project_status', 'project_id')).toEqual(before);
  });
});
