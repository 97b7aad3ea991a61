// The portal's Postman collections, run by newman (as a library) exactly as an integrator would run them: every
// request of every collection, with the environment the portal ships for that place, against `pnpm sandbox` (Eko,
// Digiledge, Kaleidofin collect) and the demo biller it starts (kaleidofin-partner, ebpp-mpa). Each request's own test (the documented status, a JSON answer) must pass, and each
// answer must be valid against the contract. The environments' values are also checked against the constants of
// the packages that own them, since specs/ cannot import those packages.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoKeys } from '@bbps-kit/biller';
import { type ApiName, Contract } from '@bbps-kit/contracts/validator';
import { defaultMockPorts } from '@bbps-kit/mocks';
import * as sandbox from '@bbps-kit/sandbox';
import {
  credentialVariables,
  mockUrl,
  postmanCollection,
  postmanEnvironment,
  postmanTargets,
} from '@bbps-kit/specs/postman';
import newman from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Target = 'sandbox' | 'biller';

interface Executed {
  name: string;
  method: string;
  path: string;
  status: number;
  body: string;
}

/** One newman run of a contract's collection against `baseUrl`, with the portal's environment for `target`. */
async function run(api: ApiName, target: Target, baseUrl: string) {
  const contract = await Contract.load(api);
  const collection = await postmanCollection(contract.document, api);
  const environment = postmanEnvironment(contract.document, api, target);
  const executed: Executed[] = [];
  const summary = await new Promise<newman.NewmanRunSummary>((resolve, reject) => {
    newman
      .run({
        collection,
        environment,
        envVar: [{ key: 'baseUrl', value: baseUrl }],
        reporters: [],
        timeoutRequest: 20_000,
      })
      .on('request', (error, args) => {
        if (error || !args.response) return;
        executed.push({
          name: args.item.name,
          method: args.request.method,
          path: `/${args.request.url.path?.join('/') ?? ''}`,
          status: args.response.code,
          body: args.response.stream?.toString('utf8') ?? '',
        });
      })
      .on('done', (error, result) => (error ? reject(error) : resolve(result)));
  });
  return { contract, summary, executed };
}

/** The operation a request reached; of several, the one with the most literal text (Eko's client_ref_id:). */
function operationOf(contract: Contract, method: string, path: string) {
  const literal = (template: string) => template.replace(/\{[^}]+\}/g, '').length;
  return contract
    .operations()
    .filter((op) => {
      const pattern = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      return op.method === method.toLowerCase() && new RegExp(`^${pattern}$`).test(path);
    })
    .sort((a, b) => literal(b.path) - literal(a.path))[0];
}

async function expectCollectionPasses(api: ApiName, target: Target, baseUrl: string) {
  const { contract, summary, executed } = await run(api, target, baseUrl);
  const failures = summary.run.failures.map((f) => `${f.source?.name}: ${f.error.test ?? ''} ${f.error.message}`);
  expect(failures, JSON.stringify(executed.map((e) => [e.name, e.status, e.body.slice(0, 300)]))).toEqual([]);
  for (const answer of executed) expect(answer.status, answer.name).toBe(200);
  // Every operation has a request, each answer valid against the contract.
  expect([...new Set(executed.map((e) => operationOf(contract, e.method, e.path)?.operationId))].sort()).toEqual(
    contract
      .operations()
      .map((op) => op.operationId)
      .sort(),
  );
  for (const answer of executed) {
    const operation = operationOf(contract, answer.method, answer.path);
    const result = contract.response(operation?.operationId ?? '', answer.status, JSON.parse(answer.body));
    expect(result.errors, `${answer.name}: ${answer.body.slice(0, 300)}`).toEqual([]);
  }
  expect(summary.run.stats.assertions.total).toBe(2 * executed.length);
  return executed;
}

describe('the environments the portal ships', () => {
  it('carry the mock ports, sandbox credentials and biller demo keys of the packages that own them', async () => {
    for (const [api, port] of Object.entries(defaultMockPorts)) {
      const contract = await Contract.load(api as ApiName);
      expect(mockUrl(contract.document)).toBe(`http://127.0.0.1:${port}`);
      // Every credential header of the contract has a value in every environment written for it.
      for (const target of Object.keys(postmanTargets) as (keyof typeof postmanTargets)[]) {
        const values = (postmanTargets[target].credentials as Record<string, Record<string, string>>)[api];
        if (values) expect(Object.keys(values).sort()).toEqual(credentialVariables(contract.document).variables.sort());
      }
    }
    expect(postmanTargets.sandbox.credentials['eko-bbps']).toEqual({
      developer_key: sandbox.defaultEkoCredentials.developerKey,
      access_key: sandbox.defaultEkoCredentials.accessKey,
    });
    expect(postmanTargets.biller.credentials).toEqual({
      'kaleidofin-partner': { 'x-api-key': demoKeys.kaleidofinApiKey },
      'ebpp-mpa': { 'client-key': demoKeys.ebppClientKey, 'api-key': demoKeys.ebppApiKey },
    });
  });

  it('signs Eko requests with a collection-level script', async () => {
    const contract = await Contract.load('eko-bbps');
    const collection = await postmanCollection(contract.document, 'eko-bbps');
    const script = (collection.event as { script: { exec: string[] } }[])[0]?.script.exec.join('\n') ?? '';
    expect(script).toContain('CryptoJS.HmacSHA256');
    // The requests' signed headers are left to the script: none carries a fixed signature.
    type Header = { key: string; value: string };
    const headers = (collection.item as { item: { request: { header: Header[] } }[] }[]).flatMap((folder) =>
      folder.item.flatMap((item) => item.request.header),
    );
    expect(headers.filter((h) => h.key === 'secret-key').map((h) => h.value)).toEqual(['', '', '', '']);
    expect(headers.filter((h) => /[A-Za-z0-9+/]{43}=/.test(h.value))).toEqual([]);
  });
});

/**
 * `pnpm sandbox` as an integrator runs it, on free ports: the three simulators and the demo biller (a child
 * process) that collect calls as its partner, which also answers kaleidofin-partner and ebpp-mpa.
 */
async function startSandbox(): Promise<{ urls: Record<string, string>; stop(): Promise<void> }> {
  const cli = join(dirname(fileURLToPath(import.meta.resolve('@bbps-kit/sandbox'))), 'cli.ts');
  const child = spawn(process.execPath, [cli, 'kaleidofin-collect=0', 'digiledge-agent=0', 'eko-bbps=0', 'biller=0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox not ready after 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = Object.fromEntries(
        [...output.matchAll(/^(kaleidofin-collect|digiledge-agent|eko-bbps|biller)\s+(http:\/\/\S+)/gm)].map(
          ([, name, url]) => [name, url],
        ),
      );
      if (Object.keys(found).length === 4) {
        clearTimeout(timer);
        resolve(found as Record<string, string>);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}):\n${output}`)));
  });
  return {
    urls,
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGINT');
      await exited;
    },
  };
}

describe('newman runs every collection', () => {
  let running: Awaited<ReturnType<typeof startSandbox>> | undefined;
  const url = (name: string) => running?.urls[name] as string;

  beforeAll(async () => {
    running = await startSandbox();
  }, 90_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('eko-bbps against the sandbox, signed by the collection', () =>
    expectCollectionPasses('eko-bbps', 'sandbox', url('eko-bbps')));
  it('digiledge-agent against the sandbox', () =>
    expectCollectionPasses('digiledge-agent', 'sandbox', url('digiledge-agent')));
  it('kaleidofin-collect against the sandbox (and through it the demo biller)', () =>
    expectCollectionPasses('kaleidofin-collect', 'sandbox', url('kaleidofin-collect')));
  it('kaleidofin-partner against the demo biller', () =>
    expectCollectionPasses('kaleidofin-partner', 'biller', url('biller')));
  it('ebpp-mpa against the demo biller (client-key and api-key both sent; both postings, then the refund)', async () => {
    const executed = await expectCollectionPasses('ebpp-mpa', 'biller', url('biller'));
    expect(executed.map((e) => e.path)).toEqual([
      '/mpacustomers',
      '/paymentposting',
      '/paymentposting',
      '/paymentreversalposting',
      '/paymentrefundposting',
    ]);
  });
});
