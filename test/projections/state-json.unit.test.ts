// Specification of how the read side keeps folded states and tells what an event changed.
import { describe, expect, it } from 'vitest';
import { diffStates, rowsWithState, stateFromJson, stateToJson } from '../../src/projections/state-json.js';

describe('folded states kept as JSON text', () => {
  const state = { capital: 123_456_789_012_345_678n, nested: { fines: [1n, 2n] }, name: 'x "q" \\' };

  it('come back with money as exact bigints, from the text or from parsed JSON', () => {
    expect(stateFromJson(stateToJson(state))).toEqual(state);
    expect(stateFromJson(JSON.parse(stateToJson(state)))).toEqual(state);
  });

  it('keep the key order, tag money wherever it sits, leave undefined fields out, and change nothing', () => {
    const deep = {
      name: 'A',
      gone: undefined,
      history: [{ type: 'X' }, { type: 'Y', values: { amount: '1' } }],
      funding: [
        { source: 'central', amount: 5n },
        { source: 'local', amount: 7n },
      ],
      plain: [1, 'two', { three: 3 }],
      deposit: { held: 0n, refunded: 2n },
      last: 9n,
    };
    const copy = structuredClone(deep);
    expect(stateToJson(deep)).toBe(
      JSON.stringify({
        name: 'A',
        history: [{ type: 'X' }, { type: 'Y', values: { amount: '1' } }],
        funding: [
          { source: 'central', amount: { $dong: '5' } },
          { source: 'local', amount: { $dong: '7' } },
        ],
        plain: [1, 'two', { three: 3 }],
        deposit: { held: { $dong: '0' }, refunded: { $dong: '2' } },
        last: { $dong: '9' },
      }),
    );
    expect(deep).toEqual(copy);
    expect(stateFromJson(stateToJson(deep))).toEqual(deep);
  });

  it('go into a row set as a string holding the text, which PostgreSQL stores without parsing it', () => {
    const rows = JSON.parse(rowsWithState([{ row: { project_id: 'P1', revision: 3 }, state }]));
    expect(rows).toEqual([{ project_id: 'P1', revision: 3, state: stateToJson(state) }]);
    expect(stateFromJson(rows[0].state)).toEqual(state);
  });
});

describe('diffStates', () => {
  it('names each changed leaf by its path, money as strings of đồng', () => {
    expect(
      diffStates(
        { phase: 'certified', certificate: { capital: 1n, number: 'A' }, same: 1 },
        { phase: 'underConstruction', certificate: { capital: 2n, number: 'A' }, same: 1 },
      ),
    ).toEqual([
      { field: 'certificate.capital', before: '1', after: '2' },
      { field: 'phase', before: 'certified', after: 'underConstruction' },
    ]);
  });

  it('shows fields that appear or disappear against null, and compares lists whole', () => {
    expect(diffStates({ list: [1], gone: { a: 1 } }, { list: [1, 2], added: 'y' })).toEqual([
      { field: 'added', before: null, after: 'y' },
      { field: 'gone.a', before: 1, after: null },
      { field: 'list', before: [1], after: [1, 2] },
    ]);
  });

  it('skips the top-level keys it is told to ignore', () => {
    expect(diffStates({ history: [1], a: 1 }, { history: [1, 2], a: 1 }, ['history'])).toEqual([]);
  });

  it('finds no change between equal values held in different objects, and none in a shared one', () => {
    const shared = { owner: { name: 'A', capital: 5n } };
    expect(
      diffStates(
        { ...shared, m: { a: { due: '2025-01-01' } } },
        { ...shared, m: { a: { due: '2025-01-01' } } },
      ),
    ).toEqual([]);
    expect(diffStates({ fines: [1n], x: 1 }, { fines: [1n], x: 1 })).toEqual([]);
  });

  it('shows a nested object that replaces a value field by field, and the value against null', () => {
    expect(diffStates({ suspension: 'none' }, { suspension: { since: '2025-03-01' } })).toEqual([
      { field: 'suspension', before: 'none', after: null },
      { field: 'suspension.since', before: null, after: '2025-03-01' },
    ]);
  });
});
