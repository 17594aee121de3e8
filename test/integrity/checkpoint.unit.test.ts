// Checkpoint signatures (src/integrity/checkpoint.ts): a signed checkpoint verifies with its public
// key, and any change to its content, digest or signature, or another key, is refused and named.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  canonicalBody,
  checkSignature,
  keyId,
  parseCheckpoint,
  signCheckpoint,
} from '../../src/integrity/checkpoint.js';
import { canonicalJson } from '../../src/store/hash.js';

const operator = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');

const body = {
  createdAt: '2026-11-21T08:00:00.000Z',
  position: { tx: '812', pos: '42' },
  streams: 2,
  events: 7,
  heads: {
    'project-CB0001': { revision: 4, hash: 'a1'.repeat(32) },
    'capitalplan-04_2022': { revision: 1, hash: 'b2'.repeat(32) },
  },
};
const signed = signCheckpoint(body, operator.privateKey);

describe('a signed checkpoint', () => {
  it('names its format and key, and verifies with the operator’s public key', () => {
    expect(signed).toMatchObject({
      format: 'tiendo-checkpoint/1',
      ...body,
      keyId: keyId(operator.publicKey),
    });
    expect(signed.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(checkSignature(signed, operator.publicKey)).toEqual({ valid: true });
  });

  it('survives a round trip through JSON text, whatever the key order', () => {
    const text = canonicalJson(JSON.parse(JSON.stringify(signed)));
    const back = parseCheckpoint(JSON.parse(text));
    expect(checkSignature(back, operator.publicKey)).toEqual({ valid: true });
  });

  it('has the same key id from the private and the public key', () => {
    expect(keyId(operator.privateKey)).toBe(keyId(operator.publicKey));
    expect(keyId(stranger.publicKey)).not.toBe(keyId(operator.publicKey));
  });
});

describe('a checkpoint that was changed after signing', () => {
  const withHead = (c: Checkpoint, hash: string): Checkpoint => ({
    ...c,
    heads: { ...c.heads, 'project-CB0001': { revision: 4, hash } },
  });

  it('with a head edited is refused: its content no longer gives its digest', () => {
    expect(checkSignature(withHead(signed, 'c3'.repeat(32)), operator.publicKey)).toMatchObject({
      valid: false,
      reason: 'DIGEST_MISMATCH',
    });
  });

  it('with a head edited and the digest recomputed is refused: the signature does not match', () => {
    const { digest: _, signature, ...forged } = withHead(signed, 'c3'.repeat(32));
    const digest = createHash('sha256').update(canonicalBody(forged)).digest('hex');
    expect(checkSignature({ ...forged, signature, digest }, operator.publicKey)).toMatchObject({
      valid: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('re-signed with another key is refused for the operator’s key', () => {
    const other = signCheckpoint(body, stranger.privateKey);
    expect(checkSignature(other, operator.publicKey)).toMatchObject({ valid: false, reason: 'KEY_MISMATCH' });
    expect(checkSignature({ ...other, keyId: signed.keyId }, operator.publicKey)).toMatchObject({
      valid: false,
    });
  });
});

describe('parsing a checkpoint file', () => {
  it('names every bad field', () => {
    const bad = {
      ...signed,
      format: 'other/9',
      heads: { 'project-X': { revision: -1, hash: 'zz' } },
      extra: 1,
    };
    expect(() => parseCheckpoint(bad)).toThrowError(
      /checkpoint\.format.*checkpoint\.heads\.project-X\.revision.*hash/s,
    );
    try {
      parseCheckpoint(bad);
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION', reason: 'CHECKPOINT_INVALID' });
      expect((error as { issues: { field: string }[] }).issues.map((i) => i.field)).toContain(
        'checkpoint.extra',
      );
    }
  });
});
