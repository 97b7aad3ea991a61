// Postman collections and environments for the portal (postman/<api>.postman_collection.json and
// postman/<api>.<target>.postman_environment.json), from the bundled contracts. openapi-to-postmanv2 converts each
// contract, with the examples as values; this module then fixes what it gets wrong for these contracts:
//   - it keeps only the first of several required API-key headers (EBPP sends client-key AND api-key): every
//     header of the contract's security requirement is set on every request, from an environment variable;
//   - Eko's secret-key is a per-request HMAC: a collection-level pre-request script signs each request (and
//     request_hash on Pay Bill) from the environment's access key, as packages/client/src/eko-auth.ts does;
//   - each request gets a test that its status is the one the contract documents for it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Converter from 'openapi-to-postmanv2';

/** The contract's own server entry for its local Prism mock. */
export function mockUrl(document) {
  const server = (document.servers ?? []).find((s) => /^Local Prism mock/.test(s.description ?? ''));
  if (!server) throw new Error(`${document.info?.title}: no "Local Prism mock" server`);
  return server.url.replace(/\/+$/, '');
}

/**
 * Where each contract answers on this machine, and with which demo credentials. This package sits below every
 * other one (the biller and the sandbox depend on it), so it cannot import their constants: the values are
 * written once here, and test/postman proves each against the package that owns it (@bbps-kit/mocks'
 * defaultMockPorts, the sandbox's demo credentials, the biller's demoKeys) and runs the collections with them.
 */
export const postmanTargets = Object.freeze({
  mock: {
    description: 'the Prism mock (npx pnpm mock): any credentials of the right form',
    // The URL is the contract's own "Local Prism mock" server (see mockUrl).
    credentials: {
      'kaleidofin-partner': { 'x-api-key': 'mock-key' },
      'kaleidofin-collect': { 'x-api-key': 'mock-key' },
      'digiledge-agent': { 'x-api-key': 'mock-key' },
      'eko-bbps': { developer_key: 'mock-developer-key', access_key: 'mock-access-key' },
      'ebpp-mpa': { 'client-key': 'ebpp_ayfin_01', 'api-key': 'mock-key' },
    },
  },
  sandbox: {
    description: 'the stateful sandbox (npx pnpm sandbox) with its demo credentials',
    ports: { 'kaleidofin-collect': 4021, 'digiledge-agent': 4022, 'eko-bbps': 4023 },
    credentials: {
      'kaleidofin-collect': { 'x-api-key': 'sandbox-key' },
      'digiledge-agent': { 'x-api-key': 'sandbox-key' },
      'eko-bbps': { developer_key: 'sandbox-developer-key', access_key: 'sandbox-access-key' },
    },
  },
  biller: {
    description: 'the biller in demo mode (npm start) with its demo keys',
    ports: { 'kaleidofin-partner': 8080, 'ebpp-mpa': 8080 },
    credentials: {
      'kaleidofin-partner': { 'x-api-key': 'demo-kaleidofin-key' },
      'ebpp-mpa': { 'client-key': 'demo-client', 'api-key': 'demo-ebpp-key' },
    },
  },
});

// The two headers Eko computes per request; the environment holds the access key they are computed from.
const EKO_SIGNED = ['secret-key', 'secret-key-timestamp'];

/** The pre-request script that signs Eko requests (Postman's sandbox has CryptoJS). */
export const ekoSigningScript = [
  '// Eko: secret-key = base64(HMAC-SHA256(key = the base64 TEXT of access_key, message = timestamp)).',
  "const accessKey = pm.variables.replaceIn('{{access_key}}');",
  'const key = CryptoJS.enc.Base64.stringify(CryptoJS.enc.Utf8.parse(accessKey));',
  'const sign = (message) => CryptoJS.enc.Base64.stringify(CryptoJS.HmacSHA256(message, key));',
  'const timestamp = String(Date.now());',
  "pm.request.headers.upsert({ key: 'secret-key-timestamp', value: timestamp });",
  "pm.request.headers.upsert({ key: 'secret-key', value: sign(timestamp) });",
  '// Pay Bill: request_hash = the same HMAC over timestamp + utility_acc_no + amount + user_code.',
  "if (pm.request.headers.has('request_hash') && pm.request.body && pm.request.body.raw) {",
  '  const body = JSON.parse(pm.variables.replaceIn(pm.request.body.raw));',
  '  const hash = sign(timestamp + body.utility_acc_no + body.amount + body.user_code);',
  "  pm.request.headers.upsert({ key: 'request_hash', value: hash });",
  '}',
];

/** The headers the contract's security requirement asks for, by scheme (first requirement: all five have one). */
export function securityHeaders(document) {
  const schemes = document.components?.securitySchemes ?? {};
  return Object.keys(document.security?.[0] ?? {})
    .map((name) => schemes[name])
    .filter((scheme) => scheme?.type === 'apiKey' && scheme.in === 'header')
    .map((scheme) => scheme.name);
}

/** Header name → the environment variable that carries it (Eko's signed pair comes from access_key). */
export function credentialVariables(document) {
  const headers = securityHeaders(document);
  const signed = EKO_SIGNED.every((name) => headers.includes(name));
  return {
    signed,
    variables: [...headers.filter((name) => !(signed && EKO_SIGNED.includes(name))), ...(signed ? ['access_key'] : [])],
  };
}

function convert(document) {
  return new Promise((resolve, reject) => {
    Converter.convertV2(
      { type: 'json', data: structuredClone(document) },
      { folderStrategy: 'Tags', parametersResolution: 'Example', requestNameSource: 'Fallback' },
      (error, result) => {
        if (error) return reject(error);
        if (!result.result) return reject(new Error(result.reason ?? 'openapi-to-postmanv2 failed'));
        resolve(result.output[0].data);
      },
    );
  });
}

function* requestsOf(items) {
  for (const item of items ?? []) {
    if (item.request) yield item;
    yield* requestsOf(item.item);
  }
}

/** The path template the converter turned into `:param` segments, back in OpenAPI form. */
const templateOf = (url) =>
  `/${url.path.map((part) => part.replace(/^:(.+)$/, '{$1}').replace(/\{\{([^}]+)\}\}/g, '{$1}')).join('/')}`;

const resolve = (document, value) =>
  value?.$ref
    ? value.$ref
        .split('/')
        .slice(1)
        .reduce((node, key) => node?.[key], document)
    : value;

const firstExample = (document, media) => {
  const first = Object.values(media?.examples ?? {})[0];
  return first ? resolve(document, first)?.value : media?.example;
};

/** The request body examples of an operation, each resolved: `{ summary, value }`. */
const bodyExamples = (document, operation) => {
  const content = resolve(document, operation?.requestBody)?.content ?? {};
  const [, media] = Object.entries(content)[0] ?? [];
  return Object.values(media?.examples ?? {}).map((example) => resolve(document, example));
};

/**
 * Operations that get a request for each of their body examples, not only the first: other operations' examples
 * refer back to them. EBPP's refund example refunds the co-borrower's card payment (the second posting example), so
 * a run of the collection posts both payments first; the other operations' alternatives (a cancelled reversal of the
 * payment the refund example refunds) would contradict the examples' story, so they keep their first example.
 */
export const everyExampleOf = Object.freeze({ 'ebpp-mpa': ['postPayment'] });

/**
 * The converter leaves a parameter inside a literal segment (Eko's `client_ref_id:{clientRefId}`) as an undefined
 * `{{clientRefId}}` variable: it gets the parameter's example like every other one.
 */
function fixPathParameters(document, url, operation) {
  const pathItem = document.paths?.[templateOf(url)] ?? {};
  const parameters = [...(pathItem.parameters ?? []), ...(operation?.parameters ?? [])].map((p) =>
    resolve(document, p),
  );
  url.path = url.path.map((segment) =>
    segment.replace(/\{\{([^}]+)\}\}/g, (whole, name) => {
      const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
      const value = parameter?.example ?? firstExample(document, parameter);
      return value === undefined ? whole : encodeURIComponent(String(value));
    }),
  );
}

/**
 * The request body is the operation's first example (or `value`), as printed (the converter builds form bodies from
 * the schema).
 */
function setExampleBody(document, request, operation, value = undefined) {
  const content = resolve(document, operation?.requestBody)?.content ?? {};
  const [mediaType, media] = Object.entries(content)[0] ?? [];
  value ??= firstExample(document, media);
  if (value === undefined) return;
  if (mediaType === 'application/x-www-form-urlencoded') {
    request.body = {
      mode: 'urlencoded',
      urlencoded: Object.entries(value).map(([key, v]) => ({ key, value: String(v) })),
    };
  } else {
    request.body = { mode: 'raw', raw: JSON.stringify(value, null, 2), options: { raw: { language: 'json' } } };
  }
}

/** The status each operation documents for the example request: its first 2xx. */
function documentedStatus(document, method, template) {
  const responses = document.paths?.[template]?.[method.toLowerCase()]?.responses ?? {};
  return Number(Object.keys(responses).find((status) => /^2\d\d$/.test(status)) ?? 200);
}

/** The collection for one contract: every operation, its example values, credentials from the environment. */
export async function postmanCollection(document, api) {
  const collection = await convert(document);
  const { signed } = credentialVariables(document);
  const headers = securityHeaders(document);
  delete collection.auth;
  collection.info.name = `${document.info.title} (${api} ${document.info.version})`;
  // The default, when no environment is chosen, is the local mock: never a vendor's production host.
  collection.variable = [{ key: 'baseUrl', value: mockUrl(document) }];
  collection.event = signed
    ? [{ listen: 'prerequest', script: { type: 'text/javascript', exec: ekoSigningScript } }]
    : [];
  for (const item of requestsOf(collection.item)) {
    const request = item.request;
    delete request.auth;
    request.header = (request.header ?? []).filter((h) => !headers.includes(h.key));
    // request_hash (Eko's opt-in pay-bill header) would carry the example's fixed hash: the script computes it.
    for (const header of request.header) if (signed && header.key === 'request_hash') header.value = '';
    for (const name of headers) {
      // Eko's signed pair starts empty: the pre-request script fills it in on every send.
      const value = signed && EKO_SIGNED.includes(name) ? '' : `{{${name}}}`;
      request.header.push({ key: name, value });
    }
    const template = templateOf(request.url);
    const operation = document.paths?.[template]?.[request.method.toLowerCase()];
    fixPathParameters(document, request.url, operation);
    setExampleBody(document, request, operation);
    const status = documentedStatus(document, request.method, template);
    item.event = [
      {
        listen: 'test',
        script: {
          type: 'text/javascript',
          exec: [
            `pm.test('status ${status}, as the contract documents', () => pm.response.to.have.status(${status}));`,
            "pm.test('a JSON answer', () => pm.response.json());",
          ],
        },
      },
    ];
    // Example responses stay in the collection for readers; they are not needed to send the request.
  }
  addEveryExample(document, collection, everyExampleOf[api] ?? []);
  return collection;
}

/** After each request of `operationIds`, a copy for each further body example, named by the example's summary. */
function addEveryExample(document, folder, operationIds) {
  folder.item = (folder.item ?? []).flatMap((item) => {
    if (!item.request) {
      addEveryExample(document, item, operationIds);
      return [item];
    }
    const operation = document.paths?.[templateOf(item.request.url)]?.[item.request.method.toLowerCase()];
    if (!operationIds.includes(operation?.operationId)) return [item];
    const copies = bodyExamples(document, operation)
      .slice(1)
      .map((example) => {
        const copy = structuredClone(item);
        delete copy.id;
        copy.name = `${item.name}: ${example.summary}`;
        setExampleBody(document, copy.request, operation, example.value);
        return copy;
      });
    return [item, ...copies];
  });
}

/** One environment: the base URL and every credential variable the collection reads. */
export function postmanEnvironment(document, api, target) {
  const { ports, credentials, description } = postmanTargets[target];
  const values = credentials[api];
  const baseUrl = ports ? `http://127.0.0.1:${ports[api]}` : mockUrl(document);
  const { variables } = credentialVariables(document);
  const missing = variables.filter((name) => values?.[name] === undefined);
  if (missing.length > 0) throw new Error(`${api} ${target}: no value for ${missing.join(', ')}`);
  return {
    name: `${api} — ${target}`,
    _postman_variable_scope: 'environment',
    description,
    values: [
      { key: 'baseUrl', value: baseUrl, type: 'default', enabled: true },
      ...variables.map((key) => ({
        key,
        value: values[key],
        type: key === 'access_key' || key.includes('key') ? 'secret' : 'default',
        enabled: true,
      })),
    ],
  };
}

/** The targets an environment is written for, for one contract. */
export const targetsOf = (api) =>
  Object.keys(postmanTargets).filter((target) => api in postmanTargets[target].credentials);

/** Writes the collection and its environments into `<outDir>/postman/`; answers their names there. */
export async function writePostman(document, api, outDir) {
  const dir = join(outDir, 'postman');
  await mkdir(dir, { recursive: true });
  const collection = `postman/${api}.postman_collection.json`;
  await writeFile(join(outDir, collection), `${JSON.stringify(await postmanCollection(document, api), null, 2)}\n`);
  const environments = [];
  for (const target of targetsOf(api)) {
    const file = `postman/${api}.${target}.postman_environment.json`;
    await writeFile(join(outDir, file), `${JSON.stringify(postmanEnvironment(document, api, target), null, 2)}\n`);
    environments.push({ target, file });
  }
  return { collection, environments };
}
