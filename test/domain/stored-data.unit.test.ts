// Specification of reading stored event data without zod (src/domain/stored-data.ts): for every event
// the demo province writes, the value is exactly what zod's parse gives — keys in the same order,
// money as bigint — and every event type of the catalogue gets a compiled reader, so none is
// silently left to the slow path when a schema grows a part the compiler does not know.
import { describe, expect, it } from 'vitest';
import { CommandHandler } from '../../src/commands/handler.js';
import { demoDirectory } from '../../src/demo/directory.js';
import { generateDemo } from '../../src/demo/generate.js';
import { decodeEvent, decodeStoredEvent, EVENT_VERSIONS, eventSchemaOf } from '../../src/domain/catalog.js';
import { compileStoredReader } from '../../src/domain/stored-data.js';
import { InMemoryEventStore } from '../../src/store/memory.js';

/** JSON that tells bigint from string and keeps key order. */
const exact = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

describe('stored event data read without zod', () => {
  it('compiles a reader for every event type of the catalogue', () => {
    const without = Object.keys(EVENT_VERSIONS).filter(
      (t) => compileStoredReader(eventSchemaOf(t as keyof typeof EVENT_VERSIONS)) === undefined,
    );
    expect(without).toEqual([]);
  });

  it('gives exactly what zod gives for every event of the demo province', async () => {
    const store = new InMemoryEventStore();
    const handler = new CommandHandler({ store, clock: () => new Date('2026-11-21T00:00:00Z') });
    for (const c of [...demoDirectory(), ...generateDemo({ nonState: 30, public: 20 })])
      await handler.handle(c, 'import');
    const events = await store.readAll({ maxCount: 1_000_000 });
    expect(new Set(events.map((e) => e.type)).size).toBeGreaterThan(25);
    for (const e of events) {
      const stored = JSON.parse(JSON.stringify(e.data)); // as the log gives it back
      expect(exact(decodeStoredEvent(e.type, e.schemaVersion, stored)), e.type).toBe(
        exact(decodeEvent(e.type, e.schemaVersion, stored)),
      );
    }
  });

  it('reads money back as bigint and refuses what is not whole đồng', () => {
    const read = (amount: unknown) => decodeStoredEvent('CapitalContributed', 1, { amount }).data;
    expect(read('125000000000')).toEqual({ amount: 125_000_000_000n });
    expect(read(42)).toEqual({ amount: 42n });
    for (const bad of ['-5', '1.5', '', '007', 1.5, null, { $dong: '1' }])
      expect(() => read(bad), JSON.stringify(bad)).toThrow(/not whole đồng/);
  });

  it('leaves unknown types and schema versions to decodeEvent, which refuses them', () => {
    expect(() => decodeStoredEvent('NoSuchEvent', 1, {})).toThrow(/unknown event type/);
    expect(() => decodeStoredEvent('CapitalContributed', 99, { amount: '1' })).toThrow(/no upcaster/);
  });
});
