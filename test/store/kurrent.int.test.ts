// The KurrentDB adapter against a real server, when EVENTSTORE_URL names one (esdb:// or kurrentdb://).
// KurrentDB cannot run on the machine this was written on, so there the suite registers one skipped
// test saying so. To run it: docs/KURRENTDB.md ("Running the contract suite").
import { describe, it } from 'vitest';
import { KurrentEventStore } from '../../src/store/kurrent/store.js';
import { isKurrentUrl } from '../../src/store/kurrent/translate.js';
import { eventStoreContract } from './contract.js';

const url = process.env.EVENTSTORE_URL;

if (isKurrentUrl(url)) {
  eventStoreContract('KurrentEventStore', () => new KurrentEventStore(url), {
    unsupported: {
      eventIdUniqueAcrossStreams: 'KurrentDB deduplicates event ids per stream, not across the log',
    },
  });
} else {
  describe('event store contract: KurrentEventStore', () => {
    it.skip('skipped: EVENTSTORE_URL not set (KurrentDB cannot run on this machine)', () => {});
  });
}
