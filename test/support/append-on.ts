// Calls tiendo_append on a given connection, so that a test can hold the append's transaction open
// and watch what other appends and readers do meanwhile.
import type pg from 'pg';
import { contentDigest } from '../../src/store/hash.js';
import type { NewEvent } from '../../src/store/port.js';

export const appendOn = (
  client: pg.PoolClient,
  stream: string,
  event: NewEvent,
  command: { commandId: string; commandHash: string } | null = null,
) =>
  client.query(`SELECT * FROM tiendo_append($1, 'any', $2, $3, $4, $5, $6, $7, $8, $9)`, [
    stream,
    [event.id],
    [event.type],
    [event.schemaVersion],
    JSON.stringify([event.data]),
    JSON.stringify([event.metadata]),
    [contentDigest(stream, event)],
    command?.commandId ?? null,
    command?.commandHash ?? null,
  ]);
