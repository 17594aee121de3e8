// The in-memory adapter passes the event store contract.
import { InMemoryEventStore } from '../../src/store/memory.js';
import { eventStoreContract } from './contract.js';

eventStoreContract('InMemoryEventStore', () => new InMemoryEventStore());
