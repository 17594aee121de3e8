// Signed checkpoints: the head (last revision and chain hash) of every stream, the log position and
// the time, in canonical JSON, with its SHA-256 digest and an Ed25519 signature by the operator's key.
// Publishing the digest (or sending the file to the inspectorate) today lets anyone show tomorrow that
// no event before those heads changed: each head hash commits to its whole stream. Pure but for
// node:crypto; reading the log is checkpoint-pg.ts, key files keys.ts.
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { z } from 'zod';
import { fieldIssues } from '../domain/catalog.js';
import { ValidationError } from '../domain/errors.js';
import { canonicalJson } from '../store/hash.js';
import type { Json } from '../store/port.js';

export const CHECKPOINT_FORMAT = 'tiendo-checkpoint/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256');
const digits = z.string().regex(/^\d+$/, 'a string of digits');

const headSchema = z.strictObject({ revision: z.number().int().nonnegative(), hash: hex64 });

const bodySchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  createdAt: z.iso.datetime({ offset: true }),
  position: z.strictObject({ tx: digits, pos: digits }).nullable(),
  streams: z.number().int().nonnegative(),
  events: z.number().int().nonnegative(),
  /** Stream name → its head; canonical JSON sorts the names. */
  heads: z.record(z.string().min(1), headSchema),
  /** Fingerprint of the signing key: SHA-256 of its public key (SPKI DER), hex. */
  keyId: hex64,
});

const checkpointSchema = bodySchema.extend({
  /** Hex SHA-256 of the canonical body: the short value to publish. */
  digest: hex64,
  /** Base64 Ed25519 signature of the canonical body. */
  signature: z.base64(),
});

export type CheckpointBody = z.infer<typeof bodySchema>;
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** The body's canonical text: what is digested and signed. */
export const canonicalBody = (body: CheckpointBody): string => canonicalJson(body as unknown as Json);

export function keyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Signs a body (its keyId filled in from the key) with an Ed25519 private key. */
export function signCheckpoint(
  body: Omit<CheckpointBody, 'format' | 'keyId'>,
  privateKey: KeyObject,
): Checkpoint {
  const full: CheckpointBody = { format: CHECKPOINT_FORMAT, ...body, keyId: keyId(privateKey) };
  const text = canonicalBody(full);
  return {
    ...full,
    digest: createHash('sha256').update(text).digest('hex'),
    signature: sign(null, Buffer.from(text), privateKey).toString('base64'),
  };
}

/** Parses a checkpoint file's JSON; a VALIDATION error names every bad field. */
export function parseCheckpoint(value: unknown): Checkpoint {
  const parsed = checkpointSchema.safeParse(value);
  if (!parsed.success)
    throw new ValidationError(fieldIssues(parsed.error, 'checkpoint'), 'CHECKPOINT_INVALID');
  return parsed.data;
}

export type SignatureCheck =
  | { readonly valid: true }
  | {
      readonly valid: false;
      readonly reason: 'KEY_MISMATCH' | 'DIGEST_MISMATCH' | 'BAD_SIGNATURE';
      readonly message: string;
    };

/** Whether the checkpoint was signed by this public key and not changed since. */
export function checkSignature(checkpoint: Checkpoint, publicKey: KeyObject): SignatureCheck {
  const { digest, signature, ...body } = checkpoint;
  const expectedKey = keyId(publicKey);
  if (body.keyId !== expectedKey) {
    return {
      valid: false,
      reason: 'KEY_MISMATCH',
      message: `signed by key ${body.keyId}, not by the public key given (${expectedKey})`,
    };
  }
  const text = canonicalBody(body);
  const actual = createHash('sha256').update(text).digest('hex');
  if (actual !== digest) {
    return {
      valid: false,
      reason: 'DIGEST_MISMATCH',
      message: `the content digests to ${actual}, the file states ${digest}: it was changed after signing`,
    };
  }
  if (!verify(null, Buffer.from(text), publicKey, Buffer.from(signature, 'base64'))) {
    return {
      valid: false,
      reason: 'BAD_SIGNATURE',
      message: 'the signature does not match the content and key',
    };
  }
  return { valid: true };
}
