// The operator's Ed25519 checkpoint key in files: the private key as PKCS#8 PEM readable by its owner
// alone (0600, refused otherwise, as ssh does), the public key as SPKI PEM to hand to whoever checks.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { keyId } from './checkpoint.js';

export interface KeyFiles {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly keyId: string;
}

/** Writes a new key pair to `<base>.key` and `<base>.pub`; never overwrites either. */
export async function generateKeyFiles(base: string): Promise<KeyFiles> {
  const files = { privateKey: `${base}.key`, publicKey: `${base}.pub` };
  for (const file of Object.values(files)) {
    if (await stat(file).catch(() => null))
      throw new ConflictError(
        `${file} already exists; tiendo keygen never overwrites a key`,
        'KEY_FILE_EXISTS',
        { file },
      );
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // 'wx': fail rather than follow a file created meanwhile; the mode applies on creation, chmod also
  // overrides a umask that would widen nothing but is checked anyway.
  await writeFile(files.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
    flag: 'wx',
  });
  await chmod(files.privateKey, 0o600);
  await writeFile(files.publicKey, publicKey.export({ type: 'spki', format: 'pem' }), {
    mode: 0o644,
    flag: 'wx',
  });
  return { ...files, keyId: keyId(publicKey) };
}

export async function readPrivateKey(file: string): Promise<KeyObject> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw ValidationError.field(
      'key',
      `cannot read ${file}: ${error.code ?? error.message}`,
      'FILE_UNREADABLE',
    );
  });
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8);
    throw ValidationError.field(
      'key',
      `${file} is readable by others (mode ${mode}); a private key must be 600: chmod 600 ${file}`,
      'KEY_FILE_TOO_OPEN',
    );
  }
  return ed25519(file, (pem) => createPrivateKey(pem));
}

export const readPublicKey = (file: string): Promise<KeyObject> =>
  ed25519(file, (pem) => createPublicKey(pem));

async function ed25519(file: string, parse: (pem: string) => KeyObject): Promise<KeyObject> {
  const pem = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw ValidationError.field(
      'key',
      `cannot read ${file}: ${error.code ?? error.message}`,
      'FILE_UNREADABLE',
    );
  });
  let key: KeyObject;
  try {
    key = parse(pem);
  } catch (error) {
    throw ValidationError.field(
      'key',
      `${file} is not a PEM key: ${(error as Error).message}`,
      'KEY_INVALID',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw ValidationError.field(
      'key',
      `${file} is a ${key.asymmetricKeyType} key, not Ed25519`,
      'KEY_INVALID',
    );
  return key;
}
