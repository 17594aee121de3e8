// The integrity commands of the CLI: verify the hash chains, export and restore the log, checksum the
// read models, a project's inspection dossier, make the checkpoint key, sign and check checkpoints. Registered on main.ts's program with its `run` (session, failure reporting, exit code).
import { createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { parseCheckpoint } from '../integrity/checkpoint.js';
import { checkCheckpoint, takeCheckpoint } from '../integrity/checkpoint-pg.js';
import { readModelChecksums } from '../integrity/checksums.js';
import { dossierHtml } from '../integrity/dossier-html.js';
import { loadDossier } from '../integrity/dossier-load.js';
import { exportLog } from '../integrity/export-pg.js';
import { generateKeyFiles, readPrivateKey, readPublicKey } from '../integrity/keys.js';
import { formatCheckpointCheck, formatVerification, verificationJson } from '../integrity/report.js';
import { restoreLog } from '../integrity/restore-pg.js';
import { verifyLog } from '../integrity/verify-pg.js';
import { eventLogKind } from '../store/select.js';
import { EXIT } from './errors.js';
import { fileLines, parseJson } from './import.js';
import type { Session } from './session.js';

export type Run = (json: boolean, action: (session: Session) => Promise<number>) => Promise<void>;

/** A stream name as given, or `project-<id>` for a bare project id. */
export const streamName = (name: string) => (name.includes('-') ? name : `project-${name}`);

/** These commands read the PostgreSQL log's tables directly (digests, heads, positions). */
async function openPostgresLog(session: Session, command: string) {
  if (eventLogKind() !== 'postgres')
    throw ValidationError.field(
      'EVENTSTORE_URL',
      `tiendo ${command} works on the event log in PostgreSQL; unset EVENTSTORE_URL (the log is on KurrentDB)`,
      'LOG_NOT_POSTGRES',
    );
  return session.open();
}

export function addIntegrityCommands(program: Command, run: Run, out: (text: string) => void): void {
  program
    .command('verify')
    .description(
      'recompute the hash chains of every stream (or one) and report any tampered event (kiểm tra toàn vẹn)',
    )
    .argument('[stream]', 'one stream: project-<id>, a bare project id, or capitalplan-<province>_<year>')
    .option('--json', 'print the report as JSON')
    .action((name: string | undefined, opts: { json?: boolean }) =>
      run(opts.json === true, async (session) => {
        const stream = name === undefined ? undefined : streamName(name);
        const { db } = await openPostgresLog(session, 'verify');
        const v = await verifyLog(db.pool, stream === undefined ? {} : { stream });
        if (stream !== undefined && v.streams === 0)
          throw new NotFoundError('stream', stream, 'STREAM_NOT_FOUND');
        out(opts.json ? JSON.stringify(verificationJson(v)) : formatVerification(v));
        return v.breaks.length === 0 ? EXIT.OK : EXIT.INTEGRITY_BROKEN;
      }),
    );

  program
    .command('export')
    .description(
      'write the whole event log as NDJSON with digests and hashes, for backup (sao lưu nhật ký sự kiện)',
    )
    .argument('[file]', 'a new file to write (never overwritten); stdout when omitted')
    .action((file: string | undefined) =>
      run(false, async (session) => {
        if (file && (await stat(file).catch(() => null)))
          throw ValidationError.field(
            'file',
            `${file} already exists; an export is never written over a file`,
            'FILE_EXISTS',
          );
        const { db } = await openPostgresLog(session, 'export');
        const out = await lineWriter(file);
        const s = await exportLog(db.pool, out.write, new Date());
        await out.close();
        process.stderr.write(
          `exported ${s.events} events of ${s.streams} streams and ${s.commands} command ids${file ? ` to ${file}` : ''}\n`,
        );
        return EXIT.OK;
      }),
    );

  program
    .command('restore')
    .description(
      'load an export into an empty store, verifying every chain; nothing is written if any line is wrong (khôi phục)',
    )
    .argument('<file>', 'an NDJSON file written by tiendo export')
    .option('--json', 'print the summary (or the error) as JSON')
    .action((file: string, opts: { json?: boolean }) =>
      run(opts.json === true, async (session) => {
        const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
          throw ValidationError.field(
            'file',
            `cannot read ${file}: ${error.code ?? error.message}`,
            'FILE_UNREADABLE',
          );
        });
        if (!info.isFile()) throw ValidationError.field('file', `${file} is not a file`, 'FILE_UNREADABLE');
        const { db } = await openPostgresLog(session, 'restore');
        const r = await restoreLog(db.pool, fileLines(file));
        const summary = {
          file,
          streams: r.streams,
          events: r.events,
          commands: r.commands,
          exportedAt: r.header.exportedAt,
        };
        out(
          opts.json
            ? JSON.stringify(summary)
            : [
                `restored ${r.events} events of ${r.streams} streams and ${r.commands} command ids from ${file} (exported ${r.header.exportedAt})`,
                formatVerification(r.verification),
                'read models: run `tiendo rebuild` (or start the server) to build them from the restored log',
              ].join('\n'),
        );
        return EXIT.OK;
      }),
    );

  program
    .command('checksums')
    .description(
      'print a checksum of every read-model table, to compare two databases (tổng kiểm tra mô hình đọc)',
    )
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      run(opts.json === true, async (session) => {
        const { db } = await session.open();
        const sums = await readModelChecksums(db.pool);
        out(
          opts.json
            ? JSON.stringify(sums)
            : sums
                .map((t) => `${t.table.padEnd(22)} ${String(t.rows).padStart(8)} rows  ${t.checksum}`)
                .join('\n'),
        );
        return EXIT.OK;
      }),
    );

  program
    .command('dossier')
    .description(
      "one project's full history for an inspector: events, documents, state at each step, alerts and the integrity proof (hồ sơ thanh tra)",
    )
    .argument('<project>', 'the project id')
    .option('--out <file>', 'write the JSON to this file instead of stdout')
    .option('--html <file>', 'also write the readable report as one self-contained HTML page')
    .action((projectId: string, opts: { out?: string; html?: string }) =>
      run(false, async (session) => {
        const { db, store } = await session.open();
        const dossier = await loadDossier(store, db.pool, projectId, new Date());
        if (!dossier) throw new NotFoundError('project', projectId, 'PROJECT_NOT_FOUND');
        const text = `${JSON.stringify(dossier, null, 2)}\n`;
        if (opts.out) await writeFile(opts.out, text);
        else process.stdout.write(text);
        if (opts.html) await writeFile(opts.html, dossierHtml(dossier));
        const written = [opts.out, opts.html].filter(Boolean).join(' and ');
        process.stderr.write(
          `dossier of ${projectId}: ${dossier.events.length} events, ${dossier.documents.length} documents, ` +
            `${dossier.alerts.length} alerts, chain ${dossier.integrity.intact ? 'intact' : 'BROKEN'}` +
            `${written ? `; written to ${written}` : ''}\n`,
        );
        return dossier.integrity.intact ? EXIT.OK : EXIT.INTEGRITY_BROKEN;
      }),
    );

  program
    .command('keygen')
    .description('create the Ed25519 key pair that signs checkpoints (tạo khoá ký mốc kiểm tra)')
    .option(
      '--out <base>',
      'write <base>.key (private, mode 600) and <base>.pub (public)',
      'tiendo-checkpoint',
    )
    .action((opts: { out: string }) =>
      run(false, async () => {
        const k = await generateKeyFiles(opts.out);
        out(
          [
            `private key ${k.privateKey} (mode 600: keep it; whoever holds it can sign checkpoints)`,
            `public key  ${k.publicKey} (give it to whoever checks checkpoints)`,
            `key id      ${k.keyId}`,
          ].join('\n'),
        );
        return EXIT.OK;
      }),
    );

  program
    .command('checkpoint')
    .description(
      'sign a digest of every stream head (after verifying the log), or check one against the log (mốc kiểm tra)',
    )
    .option('--key <file>', 'the Ed25519 private key (tiendo keygen) that signs')
    .option('--out <file>', 'also write the checkpoint JSON to this file (never overwritten)')
    .option('--verify <file>', 'instead: check this checkpoint file against the log as it is now')
    .option('--public-key <file>', 'with --verify: the public key the checkpoint must be signed with')
    .option('--json', 'with --verify: print the result as JSON')
    .action((opts: { key?: string; out?: string; verify?: string; publicKey?: string; json?: boolean }) =>
      run(opts.json === true, async (session) => {
        if (opts.verify) {
          if (!opts.publicKey)
            throw ValidationError.field(
              '--public-key',
              'checking a checkpoint needs the public key that signed it',
            );
          const checkpoint = parseCheckpoint(await readJsonFile(opts.verify, '--verify'));
          const publicKey = await readPublicKey(opts.publicKey);
          const { db } = await openPostgresLog(session, 'checkpoint');
          const c = await checkCheckpoint(db.pool, checkpoint, publicKey);
          out(opts.json ? JSON.stringify(c) : formatCheckpointCheck(c, checkpoint));
          return c.ok ? EXIT.OK : EXIT.INTEGRITY_BROKEN;
        }
        if (!opts.key)
          throw ValidationError.field('--key', 'signing a checkpoint needs the private key (tiendo keygen)');
        const privateKey = await readPrivateKey(opts.key);
        if (opts.out && (await stat(opts.out).catch(() => null)))
          throw ValidationError.field(
            '--out',
            `${opts.out} already exists; a checkpoint is never overwritten`,
            'FILE_EXISTS',
          );
        const { db } = await openPostgresLog(session, 'checkpoint');
        const taken = await takeCheckpoint(db.pool, privateKey, new Date());
        if (!taken.ok) {
          out(formatVerification(taken.verification));
          process.stderr.write('no checkpoint signed: the log is not intact\n');
          return EXIT.INTEGRITY_BROKEN;
        }
        const c = taken.checkpoint;
        const text = `${JSON.stringify(c, null, 2)}\n`;
        if (opts.out) await writeFile(opts.out, text, { flag: 'wx' });
        process.stdout.write(text);
        process.stderr.write(
          `checkpoint of ${c.streams} streams, ${c.events} events: digest ${c.digest}` +
            `${opts.out ? ` (saved to ${opts.out})` : ''}; publish the digest or send the file to the inspectorate\n`,
        );
        return EXIT.OK;
      }),
    );
}

/** Writes lines to a new file (never over an existing one) or to stdout, minding backpressure. */
async function lineWriter(file: string | undefined) {
  const stream = file ? createWriteStream(file, { flags: 'wx' }) : process.stdout;
  if (file) await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
  return {
    write: (line: string) =>
      stream.write(`${line}\n`)
        ? undefined
        : new Promise<void>((resolve) => stream.once('drain', () => resolve())),
    close: () =>
      file
        ? new Promise<void>((resolve, reject) =>
            stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
          )
        : undefined,
  };
}

export async function readJsonFile(file: string, field: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw ValidationError.field(
      field,
      `cannot read ${file}: ${error.code ?? error.message}`,
      'FILE_UNREADABLE',
    );
  });
  const value = parseJson(text, field);
  if (value instanceof ValidationError) throw value;
  return value;
}
