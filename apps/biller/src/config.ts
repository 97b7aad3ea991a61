// Everything the process reads from its environment, parsed and checked in one place.
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { securitySchemes as ebppSchemes } from '@bbps-kit/contracts/rules/ebpp-mpa';
import { securitySchemes as kaleidofinSchemes } from '@bbps-kit/contracts/rules/kaleidofin-partner';
import { zClientKey } from '@bbps-kit/contracts/schemas/ebpp-mpa';
import type { DatabaseTarget } from './db/open.ts';

/** The monorepo root: relative paths in the environment are resolved here, whatever the working directory. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Keys demo mode accepts when none are configured. They are public: never use them with real data. */
export const demoKeys = {
  kaleidofinApiKey: 'demo-kaleidofin-key',
  ebppClientKey: 'demo-client',
  ebppApiKey: 'demo-ebpp-key',
} as const;

export interface Config {
  port: number;
  database: DatabaseTarget;
  /** Load the demo data into an empty database, and fall back to the demo keys. */
  demo: boolean;
  /** Accepted `x-api-key` values (Kaleidofin). Several at once, so keys rotate without downtime. */
  kaleidofinApiKeys: string[];
  /** Expected `client-key` (EBPP's identifier for this biller). */
  ebppClientKey: string;
  /** Accepted `api-key` values (EBPP). */
  ebppApiKeys: string[];
  /** Where Prometheus scrapes `/metrics` (METRICS_PORT, METRICS_HOST); undefined: no metrics server at all. */
  metrics: { port: number; host: string } | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const present = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);

function keyList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

/**
 * Where the data lives: DATABASE_URL (with DATABASE_POOL_SIZE connections), else embedded PGlite under DATA_DIR.
 * Shared with the import command.
 */
export function databaseFromEnv(env: Env = process.env): { database: DatabaseTarget; problem?: string } {
  const url = present(env.DATABASE_URL);
  if (url === undefined) {
    const dataDir = present(env.DATA_DIR) ?? '.data';
    const base = isAbsolute(dataDir) ? dataDir : resolve(repoRoot, dataDir);
    // A folder of its own inside DATA_DIR, so other tools can keep files in DATA_DIR too.
    return { database: { kind: 'pglite', dataDir: join(base, 'biller') } };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const sizeText = present(env.DATABASE_POOL_SIZE);
    if (sizeText === undefined) return { database: { kind: 'postgres', url } };
    const poolSize = Number(sizeText);
    if (/^\d+$/.test(sizeText) && poolSize >= 1 && poolSize <= 1000) {
      return { database: { kind: 'postgres', url, poolSize } };
    }
    return {
      database: { kind: 'postgres', url },
      problem: `DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got "${sizeText}"`,
    };
  }
  return {
    database: { kind: 'pglite', dataDir: undefined },
    problem: 'DATABASE_URL must be a postgres:// or postgresql:// URL (or unset for the embedded database)',
  };
}

/** Metrics are for the operator's scraper, not for the callers of the contracts: loopback unless told otherwise. */
export const defaultMetricsHost = '127.0.0.1';

const hostnamePattern =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function metricsFromEnv(env: Env, port: number, problems: string[]): Config['metrics'] {
  const portText = present(env.METRICS_PORT);
  const host = present(env.METRICS_HOST);
  if (host !== undefined && isIP(host) === 0 && !hostnamePattern.test(host)) {
    problems.push(`METRICS_HOST must be an IP address or a host name, got "${host}"`);
  }
  if (portText === undefined) {
    if (host !== undefined) problems.push('METRICS_HOST is set but METRICS_PORT is not: set both, or neither');
    return undefined;
  }
  const metricsPort = Number(portText);
  if (!/^\d+$/.test(portText) || metricsPort > 65535) {
    problems.push(`METRICS_PORT must be a port number (0-65535), got "${portText}"`);
  } else if (metricsPort !== 0 && metricsPort === port) {
    problems.push(`METRICS_PORT must differ from PORT (both are ${port}): metrics get a port of their own`);
  }
  return { port: metricsPort, host: host ?? defaultMetricsHost };
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  let port = 8080;
  const portText = present(env.PORT);
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535)
      problems.push(`PORT must be a port number (0-65535), got "${portText}"`);
  }

  const metrics = metricsFromEnv(env, port, problems);

  const { database, problem } = databaseFromEnv(env);
  if (problem) problems.push(problem);

  let demo = database.kind === 'pglite';
  const demoText = present(env.BILLER_DEMO);
  if (demoText !== undefined) {
    if (['1', 'true', 'yes', 'on'].includes(demoText.toLowerCase())) demo = true;
    else if (['0', 'false', 'no', 'off'].includes(demoText.toLowerCase())) demo = false;
    else problems.push(`BILLER_DEMO must be 1 or 0, got "${demoText}"`);
  }

  let kaleidofinApiKeys = keyList(env.KALEIDOFIN_API_KEYS);
  let ebppApiKeys = keyList(env.EBPP_API_KEYS);
  let ebppClientKey = present(env.EBPP_CLIENT_KEY) ?? '';
  if (demo) {
    if (kaleidofinApiKeys.length === 0) kaleidofinApiKeys = [demoKeys.kaleidofinApiKey];
    if (ebppApiKeys.length === 0) ebppApiKeys = [demoKeys.ebppApiKey];
    if (!ebppClientKey) ebppClientKey = demoKeys.ebppClientKey;
  }
  if (kaleidofinApiKeys.length === 0) {
    problems.push(
      `KALEIDOFIN_API_KEYS is not set: the comma-separated ${kaleidofinSchemes.partnerApiKey.name} values Kaleidofin may send`,
    );
  }
  const clientKeyHeader = ebppSchemes.clientKey.name;
  if (!ebppClientKey) problems.push(`EBPP_CLIENT_KEY is not set: the ${clientKeyHeader} EBPP sends for this biller`);
  else {
    // The rule is the contract's client-key header schema; its own words say what is wrong.
    const checked = zClientKey.safeParse(ebppClientKey);
    if (!checked.success) {
      const why = checked.error.issues.map((issue) => issue.message).join('; ');
      problems.push(`EBPP_CLIENT_KEY is not a ${clientKeyHeader} as EBPP defines it: ${why}`);
    }
  }
  if (ebppApiKeys.length === 0)
    problems.push(`EBPP_API_KEYS is not set: the comma-separated ${ebppSchemes.apiKey.name} values EBPP may send`);

  if (problems.length > 0) {
    const hint = demo ? '' : ' (or set BILLER_DEMO=1 to run with the demo data and demo keys)';
    throw new ConfigError(`biller configuration is incomplete${hint}:\n  - ${problems.join('\n  - ')}`);
  }
  return { port, database, demo, kaleidofinApiKeys, ebppClientKey, ebppApiKeys, metrics };
}
