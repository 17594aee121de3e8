// `npm run schema`: writes the schema the code builds to schema.graphql, which is checked in; a test
// (test/api/schema.e2e.test.ts) fails when the two differ.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { buildSchema } from './schema/index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

export const schemaSdl = (): string => `${printSchema(buildSchema())}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(SCHEMA_FILE, schemaSdl());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
