// API tokens for integrations: `tdo_<tokenId>_<secret>`, 32 random bytes of secret. The text is shown
// once, when issued; the directory keeps only the SHA-256 hash of the whole text, so a leaked event
// log or database cannot be replayed as a token. The token id in the text finds the token's stream
// without a lookup by hash.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_TOKEN_PREFIX = 'tdo_';

export interface NewApiToken {
  /** The token to hand to the integration: shown once, never stored. */
  readonly text: string;
  readonly tokenHash: string;
}

export const hashToken = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function newApiToken(tokenId: string): NewApiToken {
  const text = `${API_TOKEN_PREFIX}${tokenId}_${randomBytes(32).toString('base64url')}`;
  return { text, tokenHash: hashToken(text) };
}

export const isApiToken = (bearer: string): boolean => bearer.startsWith(API_TOKEN_PREFIX);

/** The token id inside an API token's text, or undefined when the text is not shaped like one. */
export function apiTokenId(text: string): string | undefined {
  const m = /^tdo_([0-9A-Za-z]{1,40})_[A-Za-z0-9_-]{43}$/.exec(text);
  return m?.[1];
}

/** Compares hashes in constant time: the comparison leaks nothing about how much matched. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
