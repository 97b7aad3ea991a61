// Proof that fetchBills' cost does not grow with the book: the statements the biller really sends (recorded
// from one in-process request, so this never drifts from the code), each run under EXPLAIN ANALYZE.
import { buildApp, createLogger, type Db, openPostgres } from '@bbps-kit/biller';

interface Plan {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: Plan[];
}

function scans(plan: Plan): string[] {
  const here = plan['Relation Name']
    ? [`${plan['Node Type']}${plan['Index Name'] ? ` using ${plan['Index Name']}` : ` on ${plan['Relation Name']}`}`]
    : [];
  return [...here, ...(plan.Plans ?? []).flatMap(scans)];
}

export interface Statement {
  sql: string;
  params: readonly unknown[];
}

/** The statements the biller sends for one fetchBills request with `body`, recorded from an in-process request. */
export async function recordFetchBills(db: Db, apiKey: string, body: string): Promise<Statement[]> {
  const sent: Statement[] = [];
  const recording: Db = {
    ...db,
    query: (sql, params = []) => {
      sent.push({ sql, params });
      return db.query(sql, params);
    },
  };
  const app = buildApp({
    db: recording,
    config: { kaleidofinApiKeys: [apiKey], ebppClientKey: 'x', ebppApiKeys: ['x'] },
    logger: createLogger(() => {}),
  });
  const response = await app.request('/bills/fetchBills', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body,
  });
  if (response.status !== 200) throw new Error(`fetchBills answered ${response.status}`);
  return sent;
}

/** One line per statement: its scans, planning and execution time. */
export async function explainFetchBills(url: string, apiKey: string, body: string): Promise<string[]> {
  const db = await openPostgres(url, { max: 1 });
  try {
    const lines: string[] = [];
    for (const { sql, params } of await recordFetchBills(db, apiKey, body)) {
      const [row] = await db.query<{
        'QUERY PLAN': [{ Plan: Plan; 'Planning Time': number; 'Execution Time': number }];
      }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      const explained = row?.['QUERY PLAN'][0];
      if (!explained) continue;
      const what = /FROM\s+(\w+)/i.exec(sql)?.[1] ?? '?';
      lines.push(
        `${what}: ${scans(explained.Plan).join(', ')}; planning ${explained['Planning Time'].toFixed(2)} ms, ` +
          `execution ${explained['Execution Time'].toFixed(2)} ms`,
      );
    }
    return lines;
  } finally {
    await db.close();
  }
}
