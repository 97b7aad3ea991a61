import type { Db } from './db.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | undefined }
  | { kind: 'postgres'; url: string; poolSize?: number };

export function openDatabase(target: DatabaseTarget): Promise<Db> {
  return target.kind === 'postgres'
    ? openPostgres(target.url, { max: target.poolSize })
    : openPglite({ dataDir: target.dataDir });
}
