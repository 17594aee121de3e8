// The demo province is what a newcomer sees first: every one of its commands must pass the real
// command path, and its histories must cover the outcomes the province reports.
import { describe, expect, it } from 'vitest';
import { CommandHandler } from '../../src/commands/handler.js';
import { demoDirectory } from '../../src/demo/directory.js';
import { generateDemo } from '../../src/demo/generate.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { InMemoryEventStore } from '../../src/store/memory.js';

describe('the demo province', () => {
  it('is deterministic and dated no later than its "today"', () => {
    const a = generateDemo({ nonState: 20, public: 10 });
    expect(generateDemo({ nonState: 20, public: 10 })).toEqual(a);
    expect(a.every((c) => c.effectiveAt <= '2026-11-01')).toBe(true);
    expect(new Set(a.map((c) => c.commandId)).size).toBe(a.length);
  });

  it('applies every command through the command path, and a second load writes nothing', async () => {
    const store = new InMemoryEventStore();
    const handler = new CommandHandler({
      store,
      clock: () => new Date('2026-11-21T00:00:00Z'),
    });
    // The directory first, as `tiendo start` loads it.
    const commands = [...demoDirectory(), ...generateDemo({ today: '2026-11-01' as IsoDate })];
    for (const c of commands) await handler.handle(c, 'import');
    const events = await store.readAll({ maxCount: 1_000_000 });
    const types = new Set(events.map((e) => e.type));
    for (const t of [
      'OperationStarted',
      'ProjectSuspended',
      'InvestmentCertificateRevoked',
      'MilestoneRescheduled',
      'SettlementApproved',
      'AppraisalReturned',
      'CapitalReallocated',
      'CapitalDisbursed',
    ]) {
      expect(types, t).toContain(t);
    }
    for (const c of commands.slice(0, 200)) expect((await handler.handle(c, 'import')).duplicate).toBe(true);
    expect(await store.readAll({ maxCount: 1_000_000 })).toHaveLength(events.length);
  }, 60_000);
});
