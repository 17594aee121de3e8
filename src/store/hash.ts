// The per-stream hash chain. Each event's content digest covers everything the event says (id,
// stream, type, schema version, data, metadata) in canonical JSON; its chain hash covers the previous
// event's chain hash and its own digest: hash_n = SHA256(hash_{n-1} ‖ digest_n), hash_{-1} = 32 zero
// bytes. Editing, deleting, inserting or reordering any stored event breaks the chain from there on.
// The revision is implied by the chain order, so the chain can be extended by the database itself
// (PostgreSQL's sha256()) inside the append transaction, whatever the expected revision.
import { createHash } from 'node:crypto';
import type { Json, NewEvent } from './port.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const v = value[k];
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

export function contentDigest(stream: string, event: NewEvent): string {
  const content: Json = {
    id: event.id,
    stream,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export function chainHash(previousHash: string, digest: string): string {
  return createHash('sha256')
    .update(Buffer.from(previousHash, 'hex'))
    .update(Buffer.from(digest, 'hex'))
    .digest('hex');
}
