// `restoreLog` refuses what it must not load — a store that is not empty, a file whose lines are not
// an export, or whose chains do not hold (an edited, deleted, repeated or reordered event, a file cut
// short) — naming each faulty line, and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLog } from '../../src/integrity/export-pg.js';
import { restoreLog } from '../../src/integrity/restore-pg.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { appendEvents } from './tamper.js';

let source: FreshDatabase;
let target: FreshDatabase;
/** header, project-A e0..e3 and project-B e0..e2 interleaved as appended, no commands. */
const lines: string[] = [];

async function* iterate(texts: readonly string[]) {
  yield* texts;
}
const restore = (texts: readonly string[]) => restoreLog(target.pool, iterate(texts));
const stored = async () =>
  (
    await target.pool.query(
      'SELECT (SELECT count(*) FROM events)::int + (SELECT count(*) FROM streams)::int AS n',
    )
  ).rows[0].n;

/** The faults a restore reports, as "line N: field". */
async function faults(texts: readonly string[]): Promise<string[]> {
  const error = await restore(texts).then(
    () => null,
    (e: unknown) => e as { code: string; reason: string; issues: { field: string; message: string }[] },
  );
  expect(error).toMatchObject({ code: 'VALIDATION', reason: 'EXPORT_INVALID' });
  expect(await stored()).toBe(0);
  expect(error?.issues.at(-1)).toEqual({ field: '(restore)', message: 'nothing was restored' });
  return error?.issues.slice(0, -1).map((i) => `${i.field} — ${i.message}`) ?? [];
}

/** The lines with the one at `index` (file line index + 1) changed. */
const edit = (index: number, change: (e: Record<string, unknown>) => Record<string, unknown>) =>
  lines.map((l, i) => (i === index ? JSON.stringify(change(JSON.parse(l))) : l));

beforeAll(async () => {
  source = await freshDatabase();
  await appendEvents(source.pool, 'project-A', 4);
  await appendEvents(source.pool, 'project-B', 3);
  await exportLog(
    source.pool,
    (l) => {
      lines.push(l);
    },
    new Date(),
  );
  target = await freshDatabase();
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

describe('restore refuses, writing nothing,', () => {
  it('a line whose event was edited, naming the line and the digest', async () => {
    const f = await faults(edit(3, (e) => ({ ...e, data: { ...(e.data as object), physicalPercent: 99 } })));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatch(
      /^line 4: digest — is [0-9a-f]{64}, the content digests to [0-9a-f]{64}: the event was edited$/,
    );
  });

  it('a deleted event line: the next event of its stream skips a revision', async () => {
    const f = await faults([...lines.slice(0, 3), ...lines.slice(4)]);
    expect(f[0]).toContain('line 4: revision — is 3, expected 2: project-A revision 2 is missing before it');
  });

  it('two events of a stream in the wrong order', async () => {
    const swapped = [...lines];
    [swapped[2], swapped[3]] = [lines[3] as string, lines[2] as string];
    const f = await faults(swapped);
    expect(f[0]).toContain('line 3: revision — is 2, expected 1');
    expect(f[1]).toContain('line 4: revision — is 1, expected 3: project-A already has revision 1');
  });

  it('a forged event whose hash does not follow', async () => {
    const f = await faults(edit(2, (e) => ({ ...e, hash: 'ab'.repeat(32) })));
    expect(f[0]).toMatch(
      /^line 3: hash — is (ab){32}, expected [0-9a-f]{64}: it does not follow from project-A revision 0$/,
    );
  });

  it('a file cut short, against the counts in its header', async () => {
    const f = await faults(lines.slice(0, -1));
    expect(f).toEqual([expect.stringContaining(`(file) — holds 6 events, its header says 7`)]);
  });

  it('text that is not JSON, a line of no known kind, and a missing header', async () => {
    expect(await faults([lines[0] as string, '{oops', '{"kind":"other"}'])).toEqual([
      expect.stringMatching(/^line 2: \(line\) — is not valid JSON/),
      'line 3: kind — must be header, event or command',
    ]);
    expect((await faults(lines.slice(1)))[0]).toContain('line 1: kind — the first line must be the header');
    expect(await faults([])).toEqual([expect.stringContaining('(file) — is empty')]);
  });

  it('a header of another format or version', async () => {
    const f = await faults(edit(0, (h) => ({ ...h, version: 2 })));
    expect(f[0]).toMatch(/^line 1: version/);
  });

  it('a store that already holds events (CONFLICT)', async () => {
    await appendEvents(target.pool, 'project-Z', 1);
    await expect(restore(lines)).rejects.toMatchObject({ code: 'CONFLICT', reason: 'STORE_NOT_EMPTY' });
    expect((await target.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(1);
  });
});
