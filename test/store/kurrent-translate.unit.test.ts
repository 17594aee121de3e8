// The KurrentDB adapter's pure translation: no server involved (none can run on the build machine).
import { jsonEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, UnavailableError } from '../../src/domain/errors.js';
import { chainHash, contentDigest, GENESIS_HASH } from '../../src/store/hash.js';
import {
  allFilter,
  COMMAND_CATEGORY,
  classify,
  commandOf,
  commandStream,
  fromRecorded,
  fromServerRevision,
  GrpcStatus,
  inProductLog,
  isKurrentUrl,
  isRetryable,
  pinnedExpected,
  serverEventId,
  toEsdbConnectionString,
  toEventData,
  toLogPosition,
  toPortError,
  toServerExpected,
  toServerPosition,
  uuidV5,
} from '../../src/store/kurrent/translate.js';
import type { NewEvent } from '../../src/store/port.js';
import { comparePositions, LOG_START } from '../../src/store/port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const event = (id: string): NewEvent => ({
  id,
  type: 'ProjectRegistered',
  schemaVersion: 2,
  data: { name: 'Đường tỉnh 741', amount: 1200, tags: ['a', 'b'] },
  metadata: { actor: 'tester', at: '2026-01-01T00:00:00Z' },
});

describe('uuidV5', () => {
  it('matches the RFC 4122 test vector (python uuid.uuid5(NAMESPACE_DNS, "python.org"))', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
  it('is a version-5, RFC-variant UUID', () => {
    expect(uuidV5('anything')).toMatch(UUID);
  });
});

describe('server event ids', () => {
  it('with a command id: depend only on (commandId, index), so a retry with new tiendo ids dedups', () => {
    const first = [event('01A'), event('01B')].map((e, i) => serverEventId(e, i, 'cmd-1'));
    const retry = [event('01X'), event('01Y')].map((e, i) => serverEventId(e, i, 'cmd-1'));
    expect(retry).toEqual(first);
    expect(first.every((id) => UUID.test(id))).toBe(true);
  });
  it('are distinct across indexes and commands', () => {
    const ids = new Set<string>();
    for (let c = 0; c < 200; c++)
      for (let i = 0; i < 20; i++) ids.add(serverEventId(event('x'), i, `cmd-${c}`));
    expect(ids.size).toBe(4000);
  });
  it('without a command id: derived from the tiendo id, stable and distinct', () => {
    expect(serverEventId(event('01A'), 0)).toBe(serverEventId(event('01A'), 5));
    expect(serverEventId(event('01A'), 0)).not.toBe(serverEventId(event('01B'), 0));
    expect(serverEventId(event('01A'), 0)).not.toBe(serverEventId(event('01A'), 0, '01A'));
  });
  it('are fixed values (a change would break dedup of commands retried across a deploy)', () => {
    expect(serverEventId(event('e'), 0, 'cmd-1')).toBe(uuidV5('command:cmd-1:0'));
    expect(uuidV5('command:cmd-1:0')).toMatchInlineSnapshot(`"381dbc0b-a16b-5be4-89ea-7cccfca5c971"`);
  });
});

describe('envelope <-> event data', () => {
  const e = event('01HZZ');
  const digest = contentDigest('project-1', e);
  const hash = chainHash(GENESIS_HASH, digest);

  it('carries type, data, and metadata with schema version, digest, hash and the command', () => {
    const data = toEventData({ event: e, digest, hash }, 0, { commandId: 'c1', commandHash: 'h1' });
    expect(data).toEqual({
      id: uuidV5('command:c1:0'),
      contentType: 'application/json',
      type: 'ProjectRegistered',
      data: e.data,
      metadata: {
        id: '01HZZ',
        schemaVersion: 2,
        digest,
        hash,
        commandId: 'c1',
        commandHash: 'h1',
        $correlationId: 'c1',
        metadata: e.metadata,
      },
    });
    // The client's jsonEvent keeps all of it.
    expect(jsonEvent(data)).toMatchObject({
      id: data.id,
      type: data.type,
      data: data.data,
      metadata: data.metadata,
    });
    expect(commandOf(data.metadata)).toEqual({ commandId: 'c1', commandHash: 'h1' });
  });

  it('round-trips through a recorded event, and the digest recomputes', () => {
    const data = toEventData({ event: e, digest, hash }, 0);
    expect(commandOf(data.metadata)).toBeNull();
    const back = fromRecorded({
      streamId: 'project-1',
      id: data.id,
      revision: 0n,
      type: data.type,
      isJson: true,
      data: JSON.parse(JSON.stringify(data.data)),
      metadata: JSON.parse(JSON.stringify(data.metadata)),
      position: { commit: 1234n, prepare: 1200n },
    });
    expect(back).toEqual({
      ...e,
      stream: 'project-1',
      revision: 0,
      position: { tx: 1234n, pos: 1200n },
      hash,
    });
    expect(contentDigest(back!.stream, back!)).toBe(digest);
  });

  it('ignores events tiendo did not write (binary, link, foreign metadata)', () => {
    const base = { streamId: 's-1', id: 'x', revision: 0n, type: 't', isJson: true, data: {} };
    expect(fromRecorded({ ...base, metadata: undefined })).toBeNull();
    expect(fromRecorded({ ...base, metadata: { $correlationId: 'x' } })).toBeNull();
    expect(fromRecorded({ ...base, isJson: false, metadata: {} })).toBeNull();
    expect(
      fromRecorded({ ...base, data: new Uint8Array(), metadata: { id: 'a', schemaVersion: 1, hash: 'h' } }),
    ).toBeNull();
  });

  it('takes the commit position of the resolved event when the server sends none per event (< 22.6)', () => {
    const rec = {
      streamId: 's-1',
      id: 'x',
      revision: 3n,
      type: 't',
      isJson: true,
      data: {},
      metadata: { id: 'a', schemaVersion: 1, hash: 'h', metadata: {} },
    };
    expect(fromRecorded(rec, 77n)?.position).toEqual({ tx: 77n, pos: 77n });
  });
});

describe('expected revisions', () => {
  it('map to the client states ANY, NO_STREAM, STREAM_EXISTS and a BigInt revision', () => {
    expect(toServerExpected('any')).toBe('any');
    expect(toServerExpected('no_stream')).toBe('no_stream');
    expect(toServerExpected('stream_exists')).toBe('stream_exists');
    expect(toServerExpected(41)).toBe(41n);
  });
  it('appends are pinned to the head the chain extends', () => {
    expect(pinnedExpected(-1)).toBe('no_stream');
    expect(pinnedExpected(0)).toBe(0n);
    expect(pinnedExpected(9)).toBe(9n);
  });
  it('current revisions come back -1-based', () => {
    expect(fromServerRevision('no_stream')).toBe(-1);
    expect(fromServerRevision(7n)).toBe(7);
  });
});

describe('positions', () => {
  it('commit/prepare <-> LogPosition { tx, pos }, order kept', () => {
    const a = toLogPosition({ commit: 100n, prepare: 90n });
    const b = toLogPosition({ commit: 200n, prepare: 150n });
    expect(a).toEqual({ tx: 100n, pos: 90n });
    expect(comparePositions(a, b)).toBe(-1);
    expect(toServerPosition(a)).toEqual({ commit: 100n, prepare: 90n });
    expect(toServerPosition(LOG_START)).toBe('start');
  });
  it('keeps positions past 2^53 exact', () => {
    const big = 2n ** 60n + 1n;
    expect(toServerPosition(toLogPosition({ commit: big, prepare: big - 1n }))).toEqual({
      commit: big,
      prepare: big - 1n,
    });
  });
});

describe('the $all filter', () => {
  it('asks the server for the categories’ stream prefixes', () => {
    expect(allFilter(['project', 'capitalplan'])).toEqual({ prefixes: ['project-', 'capitalplan-'] });
  });
  it('without categories excludes system streams and command records', () => {
    const f = allFilter();
    if (!('regex' in f)) throw new Error('expected a regex filter');
    const re = new RegExp(f.regex);
    expect(re.test('project-1')).toBe(true);
    expect(re.test('capitalplan-04_2022')).toBe(true);
    expect(re.test('$stats-127.0.0.1:2113')).toBe(false);
    expect(re.test('$$project-1')).toBe(false);
    expect(re.test(commandStream('c1'))).toBe(false);
  });
  it('the same decision in JS', () => {
    expect(inProductLog('project-1')).toBe(true);
    expect(inProductLog('$settings')).toBe(false);
    expect(inProductLog(`${COMMAND_CATEGORY}-x`)).toBe(false);
    expect(inProductLog('project-1', ['project'])).toBe(true);
    expect(inProductLog('projectx-1', ['project'])).toBe(false);
    expect(inProductLog('capitalplan-04_2022', ['project'])).toBe(false);
  });
});

describe('error classification', () => {
  it('wrong expected version -> ConflictError WRONG_EXPECTED_REVISION with the actual revision', () => {
    const err = { type: 'wrong-expected-version', actualVersion: 4n, message: 'wev' };
    expect(classify(err)).toEqual({ kind: 'conflict', actual: 4 });
    const mapped = toPortError(err, 'project-1', 2);
    expect(mapped).toBeInstanceOf(ConflictError);
    expect(mapped).toMatchObject({
      reason: 'WRONG_EXPECTED_REVISION',
      details: { stream: 'project-1', expected: 2, actual: 4 },
    });
    expect(toPortError({ type: 'wrong-expected-version', actualVersion: 'no_stream' }, 's', 0)).toMatchObject(
      {
        details: { actual: -1 },
      },
    );
  });
  it('unavailable, deadline, timeout, cancelled -> UnavailableError, retryable', () => {
    for (const type of ['unavailable', 'deadline-exceeded', 'timeout', 'cancelled']) {
      expect(toPortError({ type }, 's')).toBeInstanceOf(UnavailableError);
      expect(isRetryable({ type })).toBe(true);
    }
  });
  it('falls back to the gRPC status code', () => {
    expect(toPortError({ code: GrpcStatus.UNAVAILABLE }, 's')).toBeInstanceOf(UnavailableError);
    expect(toPortError({ code: GrpcStatus.DEADLINE_EXCEEDED }, 's')).toBeInstanceOf(UnavailableError);
    expect(classify({ code: GrpcStatus.NOT_FOUND })).toEqual({ kind: 'not_found' });
    expect(classify({ code: GrpcStatus.PERMISSION_DENIED })).toEqual({ kind: 'denied' });
  });
  it('stream not found -> not_found (reads turn it into [])', () => {
    expect(classify({ type: 'stream-not-found' })).toEqual({ kind: 'not_found' });
    expect(toPortError({ type: 'stream-not-found' }, 'project-9')).toBeInstanceOf(NotFoundError);
  });
  it('not leader -> UnavailableError STORE_NOT_LEADER (the client rediscovers the leader)', () => {
    expect(toPortError({ type: 'not-leader' }, 's')).toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'STORE_NOT_LEADER',
    });
    expect(isRetryable({ type: 'not-leader' })).toBe(true);
  });
  it('anything else is passed through unchanged', () => {
    const err = new Error('boom');
    expect(toPortError(err, 's')).toBe(err);
    expect(isRetryable(err)).toBe(false);
    expect(classify(null)).toEqual({ kind: 'other' });
  });
  it('works on the client’s own error classes', async () => {
    const { WrongExpectedVersionError } = await import('@eventstore/db-client');
    const err = new WrongExpectedVersionError(undefined, {
      streamName: 'project-1',
      expected: 1n,
      current: 3n,
    });
    expect(classify(err)).toEqual({ kind: 'conflict', actual: 3 });
  });
});

describe('connection strings', () => {
  it('kurrentdb:// becomes the esdb:// the 6.x client parses; esdb:// stays', () => {
    expect(toEsdbConnectionString('kurrentdb://localhost:2113?tls=false')).toBe(
      'esdb://localhost:2113?tls=false',
    );
    expect(toEsdbConnectionString('kurrentdb+discover://a,b,c')).toBe('esdb+discover://a,b,c');
    expect(toEsdbConnectionString('esdb://h:2113')).toBe('esdb://h:2113');
  });
  it('recognises the server schemes, not PostgreSQL ones', () => {
    expect(isKurrentUrl('esdb://h:2113')).toBe(true);
    expect(isKurrentUrl('kurrentdb://h:2113')).toBe(true);
    expect(isKurrentUrl('esdb+discover://h:2113')).toBe(true);
    expect(isKurrentUrl('postgres://u@h/db')).toBe(false);
    expect(isKurrentUrl(undefined)).toBe(false);
  });
});
