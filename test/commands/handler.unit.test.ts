// The command path specification on the in-memory event store.
import { InMemoryEventStore } from '../../src/store/memory.js';
import { commandHandlerSpec } from './handler-spec.js';

commandHandlerSpec('the in-memory store', async () => {
  const store = new InMemoryEventStore();
  return { store, close: async () => {} };
});
