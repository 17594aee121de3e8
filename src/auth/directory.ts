// Reads one directory entity (agency, user, API token) straight from its stream, folded fresh on every
// call: authentication must see a deactivation or a revocation at once, from any process, without
// waiting for a read model or trusting a cache.
import { decodeEvent } from '../domain/catalog.js';
import {
  type DirectoryEvent,
  type DirectoryState,
  type ExistingAgency,
  type ExistingApiToken,
  type ExistingUser,
  evolveDirectory,
  initialDirectoryState,
} from '../domain/directory/events.js';
import { AGENCY_STREAM, apiTokenStream, userStream } from '../domain/streams.js';
import type { EventStore } from '../store/port.js';

async function fold(store: EventStore, stream: string): Promise<DirectoryState> {
  let state = initialDirectoryState;
  for (const e of await store.readStream(stream))
    state = evolveDirectory(state, decodeEvent(e.type, e.schemaVersion, e.data) as DirectoryEvent);
  return state;
}

export async function findUser(store: EventStore, userId: string): Promise<ExistingUser | undefined> {
  const s = await fold(store, userStream(userId));
  return 'entity' in s && s.entity === 'user' ? s : undefined;
}

export async function findApiToken(
  store: EventStore,
  tokenId: string,
): Promise<ExistingApiToken | undefined> {
  const s = await fold(store, apiTokenStream(tokenId));
  return 'entity' in s && s.entity === 'apiToken' ? s : undefined;
}

export async function findAgency(store: EventStore, agencyId: string): Promise<ExistingAgency | undefined> {
  const s = await fold(store, `${AGENCY_STREAM}-${agencyId}`);
  return 'entity' in s && s.entity === 'agency' ? s : undefined;
}
