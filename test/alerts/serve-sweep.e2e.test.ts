// `tiendo serve` and its alert sweep setting as a user meets it: a setting that is not a positive
// number of minutes is refused before the server starts, naming the setting.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTiendo } from '../cli/cli.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
});

it('refuses TIENDO_ALERT_SWEEP_MINUTES that is not a positive number, with exit code 2', async () => {
  const p = startTiendo(['serve', '--port', '0', '--host', '127.0.0.1'], {
    databaseUrl: db.url,
    env: { TIENDO_ALERT_SWEEP_MINUTES: 'hourly' },
  });
  const done = await p.done;
  expect(done.code).toBe(2);
  expect(p.output().stderr).toContain('error VALIDATION (INVALID_SETTING)');
  expect(p.output().stderr).toContain(
    'TIENDO_ALERT_SWEEP_MINUTES: must be a positive number of minutes, got hourly',
  );
  expect(p.output().stdout).not.toMatch(/API on/);
});
