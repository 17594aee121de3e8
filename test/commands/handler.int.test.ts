// The command path specification on real PostgreSQL: each case gets its own database, and the
// "other process" is a second adapter on its own connection pool.

import { openDatabase } from '../../src/infra/database.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { freshDatabase } from '../support/db.js';
import { commandHandlerSpec } from './handler-spec.js';

commandHandlerSpec('PostgreSQL', async () => {
  const db = await freshDatabase();
  const second = await openDatabase({ url: db.url });
  const store = new PostgresEventStore(db.pool);
  const other = new PostgresEventStore(second.pool);
  return {
    store,
    other,
    close: async () => {
      await store.close();
      await other.close();
      await second.close();
      await db.drop();
    },
  };
});
