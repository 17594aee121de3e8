// The hash chain's definition (src/store/hash.ts): canonical JSON, content digest, chain hash.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, contentDigest, GENESIS_HASH } from '../../src/store/hash.js';
import type { NewEvent } from '../../src/store/port.js';

const event: NewEvent = {
  id: '01HZY0000000000000000000AA',
  type: 'ProjectRegistered',
  schemaVersion: 1,
  data: { name: 'Cầu Bến Thủy 3', amount: '1250000000000', districts: ['a', 'b'] },
  metadata: { actor: { userId: 'u1', role: 'investor' }, commandId: 'c1' },
};

describe('canonicalJson', () => {
  it('sorts object keys at every level, keeps array order, and adds no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1, { z: 0, y: 'ư' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,1,{"y":"ư","z":0}]},"b":1}',
    );
  });

  it('gives one text for the same value whatever the key order', () => {
    expect(canonicalJson({ x: { q: 1, p: [true] }, w: 'v' })).toBe(
      canonicalJson({ w: 'v', x: { p: [true], q: 1 } }),
    );
  });

  it('writes numbers and strings as JSON does', () => {
    expect(canonicalJson([1e21, 0.1, -0, 'a"b\\c\n'])).toBe('[1e+21,0.1,0,"a\\"b\\\\c\\n"]');
  });
});

describe('contentDigest', () => {
  const base = contentDigest('project-1', event);

  it('is the SHA-256 of the canonical id, stream, type, schema version, data and metadata', () => {
    const content = { ...event, stream: 'project-1' };
    expect(base).toBe(createHash('sha256').update(canonicalJson(content)).digest('hex'));
  });

  it('changes when any part of the event changes', () => {
    const variants = [
      contentDigest('project-2', event),
      contentDigest('project-1', { ...event, id: `${event.id}B` }),
      contentDigest('project-1', { ...event, type: 'ProjectRenamed' }),
      contentDigest('project-1', { ...event, schemaVersion: 2 }),
      contentDigest('project-1', { ...event, data: { ...event.data, amount: '1250000000001' } }),
      contentDigest('project-1', { ...event, metadata: { ...event.metadata, commandId: 'c2' } }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('does not depend on the order of keys', () => {
    const reordered: NewEvent = {
      metadata: { commandId: 'c1', actor: { role: 'investor', userId: 'u1' } },
      data: { districts: ['a', 'b'], amount: '1250000000000', name: 'Cầu Bến Thủy 3' },
      schemaVersion: 1,
      type: 'ProjectRegistered',
      id: event.id,
    };
    expect(contentDigest('project-1', reordered)).toBe(base);
  });
});

describe('chainHash', () => {
  const d1 = contentDigest('project-1', event);
  const d2 = contentDigest('project-1', { ...event, id: `${event.id}2` });

  it('is SHA-256 of the previous hash bytes followed by the digest bytes, from 32 zero bytes', () => {
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.alloc(32), Buffer.from(d1, 'hex')]))
      .digest('hex');
    expect(GENESIS_HASH).toBe('00'.repeat(32));
    expect(chainHash(GENESIS_HASH, d1)).toBe(expected);
  });

  it('depends on the order of the events', () => {
    const forward = chainHash(chainHash(GENESIS_HASH, d1), d2);
    const swapped = chainHash(chainHash(GENESIS_HASH, d2), d1);
    expect(forward).not.toBe(swapped);
  });
});
