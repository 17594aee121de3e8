// Specification of bitemporal time travel over one project's stream: which events count at
// (asOf, knownAt) and what the project looked like there — before and after a late report and a
// correction arrived, on both axes.
import { describe, expect, it } from 'vitest';
import type { IsoDate, IsoInstant } from '../../src/domain/dates.js';
import { TY } from '../../src/domain/money.js';
import type { ExistingProject, NonStateProject } from '../../src/domain/project/state.js';
import {
  type CountableEvent,
  foldAt,
  snapshotUsable,
  type TimePoint,
} from '../../src/projections/time-travel.js';
import { nonStateUpTo } from '../domain/fixtures.js';
import { on } from '../support/decider.js';

/** Each fixture event recorded on the day it took effect, at 09:00 UTC, unless said otherwise. */
const stream: CountableEvent[] = [
  ...nonStateUpTo('certified'), // 2022-01-10 … 2022-03-10, revisions 0..3
  on('2022-04-05', 'ProgressReported', { period: '2022-Q1', physicalPercent: 10, delayCauses: [] }),
  on('2022-06-01', 'ConstructionStarted', {}),
  // The Q2 report took effect on 30 June but was only recorded on 10 July (a late report).
  on('2022-06-30', 'ProgressReported', { period: '2022-Q2', physicalPercent: 45, delayCauses: [] }),
  // On 20 July the Q2 report is corrected: 40 %, not 45 %.
  on('2022-07-20', 'EventCorrected', {
    correctedRevision: 6,
    correctedType: 'ProgressReported',
    reason: 'Số liệu báo cáo quý 2 nhập sai',
    changes: [{ field: 'physicalPercent', from: '45', to: '40' }],
  }),
  on('2022-08-01', 'CapitalContributed', { amount: 30n * TY }),
].map((e, revision) => ({
  revision,
  event: e,
  effectiveAt: e.effectiveAt as IsoDate,
  recordedAt: revision === 6 ? '2022-07-10T09:00:00.000Z' : `${e.effectiveAt}T09:00:00.000Z`,
}));

const at = (asOf?: string, knownAt?: string): TimePoint => ({
  ...(asOf && { asOf: asOf as IsoDate }),
  ...(knownAt && { knownAt: knownAt as IsoInstant }),
});
const project = (p: TimePoint) => foldAt(stream, p).state as NonStateProject;

describe('time travel on the business axis (asOf)', () => {
  it('shows the phase in effect on the date: certified in May, under construction in June', () => {
    expect(project(at('2022-05-31')).phase).toBe('certified');
    expect(project(at('2022-06-01')).phase).toBe('underConstruction');
  });

  it('counts an event on its effective date itself (asOf is inclusive)', () => {
    expect(project(at('2022-06-30')).lastProgress?.period).toBe('2022-Q2');
    expect(project(at('2022-06-29')).lastProgress?.period).toBe('2022-Q1');
  });

  it('is null-state before the registration', () => {
    expect(foldAt(stream, at('2022-01-09'))).toMatchObject({ state: { family: 'none' }, revision: -1 });
  });
});

describe('time travel on the system axis (knownAt)', () => {
  it('does not see the late Q2 report before it was recorded, though it was in effect on 30 June', () => {
    const before = foldAt(stream, at('2022-06-30', '2022-07-09T23:59:59.999Z'));
    expect((before.state as ExistingProject).lastProgress?.period).toBe('2022-Q1');
    expect(before.revision).toBe(5);
    const after = foldAt(stream, at('2022-06-30', '2022-07-10T09:00:00.000Z'));
    expect((after.state as ExistingProject).lastProgress).toMatchObject({
      period: '2022-Q2',
      physicalPercent: 45,
    });
  });

  it('shows the old truth before the correction was recorded and the corrected one after', () => {
    expect(project(at('2022-06-30', '2022-07-19T00:00:00.000Z')).lastProgress?.physicalPercent).toBe(45);
    expect(project(at('2022-06-30', '2022-07-20T09:00:00.000Z')).lastProgress?.physicalPercent).toBe(40);
  });

  it('applies a correction on the business date of the event it corrects, not its own', () => {
    // Asked about 30 June with today's knowledge: the correction (effective 20 July) restates 30 June.
    expect(project(at('2022-06-30')).lastProgress?.physicalPercent).toBe(40);
  });

  it('ignores a correction whose corrected event does not count', () => {
    // Before 30 June the Q2 report is not in effect, so its correction has nothing to restate.
    const june = foldAt(stream, at('2022-06-29'));
    expect((june.state as ExistingProject).lastProgress).toMatchObject({
      period: '2022-Q1',
      physicalPercent: 10,
    });
    expect(june.counted).toBe(6);
  });

  it('keeps later revisions aligned when an earlier one is left out', () => {
    // Revision 6 (the late report) is left out as of 5 July, yet the contribution of revision 8 is
    // in effect by August and the correction's revision numbers still point at the right events.
    const s = project(at('2022-08-01', '2022-07-09T00:00:00.000Z'));
    expect(s.capitalContributed).toBe(0n);
    const all = project(at());
    expect(all.capitalContributed).toBe(30n * TY);
    expect(all.history.map((h) => h.type)).toEqual(stream.map((e) => e.event.type));
  });
});

describe('snapshots', () => {
  it('the fold reports its longest all-counted prefix, and folding on from it gives the same state', () => {
    const p = at('2022-06-30', '2022-07-09T00:00:00.000Z');
    const whole = foldAt(stream, p);
    expect(whole.prefix?.revision).toBe(5);
    const snap = whole.prefix!;
    expect(snapshotUsable(snap, p)).toBe(true);
    const later = at('2022-08-01');
    expect(snapshotUsable(snap, later)).toBe(true);
    const resumed = foldAt(stream.slice(snap.revision + 1), later, snap);
    expect(resumed.state).toEqual(foldAt(stream, later).state);
    expect(resumed.revision).toBe(8);
  });

  it('a snapshot is not usable before its latest recording or effect', () => {
    const snap = foldAt(stream, at()).prefix!;
    expect(snap.revision).toBe(8);
    expect(snapshotUsable(snap, at('2022-07-31'))).toBe(false);
    expect(snapshotUsable(snap, at(undefined, '2022-07-31T00:00:00.000Z'))).toBe(false);
    expect(snapshotUsable(snap, at('2022-08-01', '2022-08-01T09:00:00.000Z'))).toBe(true);
  });
});

describe('events a reader already knows do not count', () => {
  it('fold as if read in full: a skipped marker keeps its slot and needs no data', () => {
    const p = at('2022-06-29');
    const markers = stream.map((e) =>
      e.revision === 6 || e.revision === 7 ? { revision: e.revision, skipped: { type: e.event.type } } : e,
    );
    const full = foldAt(stream, p);
    const marked = foldAt(markers, p);
    expect(marked.state).toEqual(full.state);
    expect((marked.state as ExistingProject).history).toHaveLength(full.revision + 1);
  });
});
