// `npm run matrix`: prints the role matrix into docs/SECURITY.md (between its markers).
import { readFile, writeFile } from 'node:fs/promises';
import { withMatrix } from './matrix-doc.js';

const file = new URL('../../docs/SECURITY.md', import.meta.url);
await writeFile(file, withMatrix(await readFile(file, 'utf8')));
process.stdout.write(`wrote ${file.pathname}\n`);
