// The one-edit proof that a rule written in a spec flows everywhere with no other edit. A copy of the project
// (specs, packages/contracts, packages/client, apps/biller; the same installed dependencies) gets four edits in
// its specs only: a length tightened (EBPP ConfirmationNumber 30 -> 20), a pattern tightened (Kaleidofin
// transactionId loses '.', '_' and '-'), an enum value removed (EBPP PaymentMethod 'cash') and a key header renamed
// (Kaleidofin's x-api-key -> x-partner-key). After `pnpm generate` in the copy, its biller refuses with a 400 naming
// the field each request the real biller accepts, the client's types refuse the removed enum value that they accept
// in the real project, and each biller takes the key only in its own contract's header, where its client sends it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const copy = mkdtempSync(join(tmpdir(), 'one-edit-'));

/** Copies `parts` of a package and gives the copy the package's installed dependencies, `overrides` replaced. */
function mirrorPackage(dir: string, parts: string[], overrides: Record<string, string> = {}): void {
  for (const part of parts) cpSync(join(root, dir, part), join(copy, dir, part), { recursive: true });
  const modules = join(root, dir, 'node_modules');
  const target = join(copy, dir, 'node_modules');
  for (const entry of readdirSync(modules)) {
    if (entry === '.bin') continue;
    const names = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      mkdirSync(dirname(join(target, name)), { recursive: true });
      symlinkSync(overrides[name] ?? join(modules, name), join(target, name));
    }
  }
}

function edit(file: string, from: string | RegExp, to: string): void {
  const path = join(copy, 'specs', file);
  const text = readFileSync(path, 'utf8');
  const changed = text.replace(from, () => to);
  if (changed === text) throw new Error(`${file}: nothing to change (${String(from)})`);
  writeFileSync(path, changed);
}

type BuildApp = typeof import('@bbps-kit/biller')['buildApp'];
interface Biller {
  buildApp: BuildApp;
  openPglite: typeof import('@bbps-kit/biller')['openPglite'];
  prepareDatabase: typeof import('@bbps-kit/biller')['prepareDatabase'];
  createLogger: typeof import('@bbps-kit/biller')['createLogger'];
  demoKeys: typeof import('@bbps-kit/biller')['demoKeys'];
  /** The header Kaleidofin's key travels in, from the project's generated rules. */
  partnerKeyHeader: string;
  createKaleidofinPartnerClient: typeof import('@bbps-kit/client')['createKaleidofinPartnerClient'];
}

/** A project's biller, with its Kaleidofin key header and its Kaleidofin partner client. */
async function project(at: string): Promise<Biller> {
  const module = (path: string) => import(pathToFileURL(join(at, path)).href);
  const rules = await module('packages/contracts/src/generated/kaleidofin-partner.rules.ts');
  const { createKaleidofinPartnerClient } = await module('packages/client/src/index.ts');
  return {
    ...(await module('apps/biller/src/index.ts')),
    partnerKeyHeader: rules.securitySchemes.partnerApiKey.name,
    createKaleidofinPartnerClient,
  };
}

type App = ReturnType<BuildApp>;
const apps = new Map<Biller, Promise<{ app: App; close: () => Promise<void> }>>();

/** Each biller's app on its own in-memory demo ledger, made once (the requests use distinct ids). */
function demoApp(biller: Biller) {
  let made = apps.get(biller);
  if (!made) {
    made = (async () => {
      const db = await biller.openPglite();
      await biller.prepareDatabase(db, { demo: true });
      const { demoKeys } = biller;
      const app = biller.buildApp({
        db,
        config: {
          kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
          ebppClientKey: demoKeys.ebppClientKey,
          ebppApiKeys: [demoKeys.ebppApiKey],
        },
        logger: biller.createLogger(() => {}),
      });
      return { app, close: () => db.close() };
    })();
    apps.set(biller, made);
  }
  return made;
}

/** One request to a biller, as EBPP or Kaleidofin would send it. */
async function ask(biller: Biller, path: string, body: unknown) {
  const { app } = await demoApp(biller);
  const { demoKeys } = biller;
  const headers: Record<string, string> = path.startsWith('/bills/')
    ? { [biller.partnerKeyHeader]: demoKeys.kaleidofinApiKey }
    : { 'client-key': demoKeys.ebppClientKey, 'api-key': demoKeys.ebppApiKey };
  const response = await app.request(path, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function example(api: string, name: string): Record<string, unknown> {
  const document = JSON.parse(
    readFileSync(join(root, 'packages/contracts/src/generated', `${api}.openapi.json`), 'utf8'),
  ) as { components: { examples: Record<string, { value: Record<string, unknown> }> } };
  return structuredClone(document.components.examples[name]?.value) as Record<string, unknown>;
}

// The demo account LN-AY1234 owes 2,200 rupees: the example's EMI is more than that.
const posting = (changes: Record<string, unknown>) => ({
  ...example('ebpp-mpa', 'PaymentPostingRequest'),
  amount: '1000.00',
  ...changes,
});
const receipt = (transactionId: string) => {
  const body = example('kaleidofin-partner', 'SeedFetchReceiptRequest');
  (body.paymentDetails as Record<string, unknown>).transactionId = transactionId;
  return body;
};
const cases = [
  {
    rule: 'EBPP ConfirmationNumber maxLength 30 -> 20',
    path: '/paymentposting',
    body: posting({ id: '7300099001', confirmation_number: 'EBP5K2M9Q7X4A8B3C6D1E' }),
    field: 'confirmation_number',
    says: 'at most 20 characters',
  },
  {
    rule: "Kaleidofin transactionId pattern without '.', '_' and '-'",
    path: '/bills/fetchReceipt',
    body: receipt('TXN-2020-12-23'),
    field: 'paymentDetails.transactionId',
    says: 'must match',
  },
  {
    rule: "EBPP PaymentMethod without 'cash'",
    path: '/paymentposting',
    body: posting({ id: '7300099002', payment_method: 'cash' }),
    field: 'payment_method',
    says: 'must be one of',
  },
];

/** Type-checks a program that gives an EBPP posting the payment method 'cash', against a project tree. */
function typecheckCash(project: string): { ok: boolean; output: string } {
  const dir = join(copy, `typecheck-${project === root ? 'real' : 'edited'}`);
  mkdirSync(dir, { recursive: true });
  const client = pathToFileURL(join(project, 'packages/client/src/index.ts')).pathname;
  writeFileSync(
    join(dir, 'program.mts'),
    `import type { EbppPayment } from '${client}';\nexport const method: EbppPayment['payment_method'] = 'cash';\n`,
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(root, 'tsconfig.base.json'),
      compilerOptions: { typeRoots: [join(root, 'packages/client/node_modules/@types')] },
      files: ['program.mts'],
    }),
  );
  const tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  return { ok: run.status === 0, output: run.stdout + run.stderr };
}

describe('one edit in a spec flows to the biller and the client, with no other edit', () => {
  let edited: Biller;
  let real: Biller;

  beforeAll(async () => {
    cpSync(join(root, 'specs'), join(copy, 'specs'), {
      recursive: true,
      filter: (source) => !/(node_modules|dist)$/.test(source),
    });
    cpSync(join(root, 'tsconfig.base.json'), join(copy, 'tsconfig.base.json'));
    const contracts = join(copy, 'packages/contracts');
    mirrorPackage('packages/contracts', ['src', 'scripts', 'package.json', 'redocly.yaml', 'tsconfig.json']);
    mirrorPackage('packages/client', ['src', 'package.json', 'tsconfig.json'], { '@bbps-kit/contracts': contracts });
    mirrorPackage('apps/biller', ['src', 'package.json', 'tsconfig.json'], { '@bbps-kit/contracts': contracts });

    edit('ebpp-mpa/components/schemas/ConfirmationNumber.yaml', /^maxLength: 30$/m, 'maxLength: 20');
    edit(
      'kaleidofin-partner/components/schemas/PaymentDetails.yaml',
      "pattern: '^[A-Za-z0-9._-]+$'",
      "pattern: '^[A-Za-z0-9]+$'",
    );
    edit('ebpp-mpa/components/schemas/PaymentMethod.yaml', /^ {2}- cash\n/m, '');
    edit('kaleidofin-partner/openapi.yaml', /^ {6}name: x-api-key$/m, '      name: x-partner-key');
    execFileSync(process.execPath, ['scripts/generate.mjs', '--specs', join(copy, 'specs')], {
      cwd: contracts,
      stdio: 'pipe',
    });

    edited = await project(copy);
    real = await project(root);
  }, 180_000);

  afterAll(async () => {
    for (const made of apps.values()) await (await made).close();
    rmSync(copy, { recursive: true, force: true });
  });

  for (const { rule, path, body, field, says } of cases) {
    it(`${rule}: the real biller accepts the request, the edited one refuses it with 400 naming ${field}`, async () => {
      const before = await ask(real, path, body);
      expect(before.status, JSON.stringify(before.body)).toBe(200);
      const after = await ask(edited, path, body);
      expect(after.status, JSON.stringify(after.body)).toBe(400);
      const errors = path.startsWith('/bills/')
        ? [(after.body as { error: { field?: string; message: string } }).error]
        : (after.body as { errors: { field?: string; message: string }[] }).errors;
      expect(errors.find((error) => error.field === field)?.message).toContain(says);
    });
  }

  it("Kaleidofin's key header renamed: each biller takes the key only in its contract's header, where its client sends it", async () => {
    expect([real.partnerKeyHeader, edited.partnerKeyHeader]).toEqual(['x-api-key', 'x-partner-key']);
    const body = example('kaleidofin-partner', 'SeedFetchBillsRequest');
    const statuses: string[] = [];
    for (const [clientName, client] of Object.entries({ real, edited })) {
      for (const [billerName, biller] of Object.entries({ real, edited })) {
        const { app } = await demoApp(biller);
        const partner = client.createKaleidofinPartnerClient({
          baseUrl: 'http://biller.test',
          apiKey: biller.demoKeys.kaleidofinApiKey,
          fetch: (input, init) => Promise.resolve(app.request(new Request(input, init))),
        });
        const { response } = await partner.POST('/bills/fetchBills', { body: body as never });
        statuses.push(`${clientName} client -> ${billerName} biller: ${response.status}`);
      }
    }
    expect(statuses).toEqual([
      'real client -> real biller: 200',
      'real client -> edited biller: 401',
      'edited client -> real biller: 401',
      'edited client -> edited biller: 200',
    ]);
  });

  it("the client's types accept payment_method 'cash' in the real project and refuse it in the edited one", () => {
    const before = typecheckCash(root);
    expect(before.ok, before.output).toBe(true);
    const after = typecheckCash(copy);
    expect(after.ok).toBe(false);
    expect(after.output).toMatch(/TS2322: Type '"cash"' is not assignable/);
  });
});
