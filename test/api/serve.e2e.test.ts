// `tiendo serve` as a user runs it: it prints where the API listens, answers there, and stops cleanly
// on Ctrl-C.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTiendo, tiendo } from '../cli/cli.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';

let db: FreshDatabase;
/** The local JWT secret in a directory of this spec's own, not the developer's .tiendo/. */
let env: Record<string, string>;
beforeAll(async () => {
  db = await freshDatabase({ migrate: false });
  env = { TIENDO_JWT_SECRET_FILE: join(await mkdtemp(join(tmpdir(), 'tiendo-serve-')), 'jwt-secret') };
});
afterAll(async () => {
  await db?.drop();
});

async function waitFor(output: () => string, pattern: RegExp, ms = 180_000): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = output().match(pattern);
    if (m) return m;
    if (Date.now() > until) throw new Error(`no ${pattern} in output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('tiendo serve prints the GraphQL URL, answers there to an API token from the CLI, and exits 0 on SIGINT', async () => {
  const cli = (args: string[]) => tiendo(args, { databaseUrl: db.url, env });
  expect((await cli(['agency', 'add', 'lgsp-cb', '--name', 'Nền tảng LGSP', '--kind', 'system'])).code).toBe(
    0,
  );
  expect((await cli(['user', 'add', 'lgsp', '--agency', 'lgsp-cb', '--role', 'integration'])).code).toBe(0);
  const created = await cli(['token', 'create', '--user', 'lgsp', '--label', 'LGSP sync']);
  expect(created.code).toBe(0);
  const token = created.stdout.match(/^(tdo_\S+)$/m)?.[1];
  expect(token).toBeDefined();
  const listed = await cli(['token', 'list']);
  expect(listed.stdout).toMatch(/ lgsp {2}active {2}LGSP sync/);
  expect(listed.stdout).not.toContain(token!.slice(4));
  const p = startTiendo(['serve', '--port', '0', '--host', '127.0.0.1'], { databaseUrl: db.url, env });
  try {
    const [, url] = await waitFor(
      () => p.output().stdout + p.output().stderr,
      /API on (http:\/\/\S+\/graphql)/,
    );
    const base = url!.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ok', database: 'reachable' });
    const query = JSON.stringify({ query: '{ project(id: "CB0001") { id } }' });
    const anonymous = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: query,
    });
    expect(anonymous.status).toBe(401);
    const res = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: query,
    });
    expect(await res.json()).toEqual({ data: { project: null } });
  } finally {
    p.child.kill('SIGINT');
  }
  const done = await p.done;
  expect(done.code).toBe(0);
});

it('npm start (tiendo start --serve) loads the demo, fills the read models and answers its example queries', async () => {
  const demo = await freshDatabase({ migrate: false });
  const p = startTiendo(['start', '--serve', '--port', '0'], { databaseUrl: demo.url, env });
  try {
    const output = () => p.output().stdout + p.output().stderr;
    const [, url] = await waitFor(output, /API on (http:\/\/\S+\/graphql)/);
    await waitFor(output, /Example queries:/);
    // The demo prints a token per demo role; the registration authority's reads the whole province.
    const [, token] = await waitFor(output, /^ {2}registrationAuthority demo-dkdt \(.*\): (\S+)$/m);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const examples = output()
      .split('\n')
      .filter((line) => line.startsWith('  { project('))
      .map((line) => line.trim());
    expect(examples).toHaveLength(3);
    for (const query of examples) {
      const res = await fetch(url!, { method: 'POST', headers, body: JSON.stringify({ query }) });
      const body = (await res.json()) as {
        data?: { project?: { name?: string; phase?: string } };
        errors?: unknown;
      };
      expect(body.errors).toBeUndefined();
      expect(body.data?.project?.name).toBeTruthy();
    }
    const { rows } = await demo.pool.query('SELECT count(*)::int AS n FROM project_status');
    expect(rows[0].n).toBe(230);
    // The list queries read the tables the served runner keeps: the whole demo, paged and summed.
    const lists = await fetch(url!, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query:
          '{ projects(first: 100) { totalCount pageInfo { hasNextPage } } portfolioSummary(by: []) { projects } }',
      }),
    });
    expect(await lists.json()).toEqual({
      data: {
        projects: { totalCount: 230, pageInfo: { hasNextPage: true } },
        portfolioSummary: [{ projects: 230 }],
      },
    });
  } finally {
    p.child.kill('SIGINT');
  }
  expect((await p.done).code).toBe(0);
  await demo.drop();
}, 300_000);

it('tiendo serve refuses a port that is not one', async () => {
  const r = await startTiendo(['serve', '--port', '70000'], { databaseUrl: db.url }).done;
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('must be a port number');
});
