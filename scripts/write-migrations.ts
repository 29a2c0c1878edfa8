// Writes migrations/{sqlite,postgres}/NNNN.sql from the stores' own migrations (npm run migrations).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrationFiles } from '../src/adapters/sql/migration-files.js';

for (const file of migrationFiles()) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.sql);
  console.log(`wrote ${file.path}`);
}
