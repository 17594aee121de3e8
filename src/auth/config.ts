// Where JWTs are verified against, from the environment:
//   TIENDO_JWKS_URL     the identity provider's JWKS (production), with TIENDO_JWT_ISSUER and
//                       TIENDO_JWT_AUDIENCE required;
//   TIENDO_JWT_SECRET   a shared HS256 secret of at least 32 bytes (issuer and audience default to
//                       tiendo-local and tiendo);
//   neither             a random secret generated once in .tiendo/jwt-secret (TIENDO_JWT_SECRET_FILE),
//                       readable by its owner only: what `npm start` signs its demo tokens with.
// Only the secret modes can mint tokens (demo, `tiendo jwt`); with a JWKS, the provider alone does.
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { JwtConfig } from './jwt.js';

export const LOCAL_ISSUER = 'tiendo-local';
export const DEFAULT_AUDIENCE = 'tiendo';
export const DEFAULT_SECRET_FILE = '.tiendo/jwt-secret';

export interface AuthConfig {
  readonly jwt: JwtConfig;
  /** What the secret came from, for the start-up line (never the secret). */
  readonly source: string;
  /** Present when this server holds the signing secret. */
  readonly signer?: { readonly issuer: string; readonly audience: string; readonly secret: Uint8Array };
}

export async function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<AuthConfig> {
  if (env.TIENDO_JWKS_URL) {
    if (!env.TIENDO_JWT_ISSUER || !env.TIENDO_JWT_AUDIENCE)
      throw new Error('TIENDO_JWKS_URL needs TIENDO_JWT_ISSUER and TIENDO_JWT_AUDIENCE');
    return {
      jwt: {
        jwksUrl: new URL(env.TIENDO_JWKS_URL),
        issuer: env.TIENDO_JWT_ISSUER,
        audience: env.TIENDO_JWT_AUDIENCE,
      },
      source: `JWKS ${env.TIENDO_JWKS_URL}`,
    };
  }
  const issuer = env.TIENDO_JWT_ISSUER ?? LOCAL_ISSUER;
  const audience = env.TIENDO_JWT_AUDIENCE ?? DEFAULT_AUDIENCE;
  const file = resolve(env.TIENDO_JWT_SECRET_FILE ?? DEFAULT_SECRET_FILE);
  const secret = env.TIENDO_JWT_SECRET
    ? new TextEncoder().encode(env.TIENDO_JWT_SECRET)
    : await localSecret(file);
  if (secret.length < 32) throw new Error('TIENDO_JWT_SECRET must be at least 32 bytes');
  const signer = { issuer, audience, secret };
  return {
    jwt: signer,
    signer,
    source: env.TIENDO_JWT_SECRET ? 'the secret in TIENDO_JWT_SECRET' : `the local secret in ${file}`,
  };
}

/** Reads the secret file, creating it first if absent; concurrent first runs agree on one secret. */
async function localSecret(file: string): Promise<Uint8Array> {
  try {
    return decode(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  // Written whole under another name, then linked: link fails if another run got there first.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    await link(tmp, file);
    await chmod(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp);
  }
  return decode(await readFile(file, 'utf8'));
}

function decode(text: string): Uint8Array {
  const bytes = Buffer.from(text.trim(), 'base64url');
  if (bytes.length < 32) throw new Error('the local JWT secret file is damaged: fewer than 32 bytes');
  return new Uint8Array(bytes);
}
