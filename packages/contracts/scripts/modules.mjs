// The two modules generate.mjs writes itself, from a bundled contract: the operations table (routes with their
// zod schemas) and the rules table (retry rule per operation, x-bbps-outcome per status value), plus the copy of
// the contract the zod generator reads. Everything here fails loudly on a contract it cannot represent, naming
// the operation, rather than writing a table that silently says less than the spec.

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const retryRules = new Set(['safe', 'never']);
const outcomeValues = new Set(['success', 'failed', 'pending', 'refund-pending', 'refunded']);

/**
 * What the zod plugin cannot express, and how each is covered. This list is the one place for it; the fidelity
 * test (test/fidelity.test.ts) proves the result agrees with the spec's JSON Schema everywhere else.
 * - `default` (any schema): an annotation in JSON Schema, but the plugin writes zod's .default(), which accepts a
 *   missing required field and fills it in. Removed from the plugin's input (inputForZod).
 * - `multipleOf` (numbers): not generated at all. `multipleOf: 1` is rewritten as `type: integer`, which means the
 *   same in JSON Schema (inputForZod); any other multipleOf stops the generator.
 * - `minProperties` / `maxProperties` (objects): not generated at all. The component's schema is wrapped in a
 *   check of the received value (withObjectChecks), so every schema that uses the component gets it.
 * - `anyOf` / `oneOf` whose branches only list `required` (at least one / exactly one of some fields): dropped
 *   (`.and(z.unknown())`). The component's schema is wrapped in a check of the received keys (withObjectChecks).
 * - `format: email`: zod's z.email() refuses characters RFC 5322 allows in the local part (~ ^ { } | …), which
 *   JSON Schema validators (ajv-formats) accept. z.email() is given ajv-formats' pattern (withEmailPattern).
 */
export const unsupported = [
  'default',
  'multipleOf',
  'minProperties',
  'maxProperties',
  'anyOf/oneOf of required',
  'email',
];

/** A deep copy of `document` as the zod plugin should read it: no `default`, `multipleOf: 1` as `integer`. */
export function inputForZod(document) {
  const rewrite = (node, inSchema, at) => {
    if (Array.isArray(node)) return node.map((item, i) => rewrite(item, inSchema, `${at}/${i}`));
    if (typeof node !== 'object' || node === null) return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (inSchema && key === 'default') continue;
      if (inSchema && key === 'multipleOf') {
        if (value !== 1) throw new Error(`${at}: multipleOf ${value} cannot be generated (only 1, as integer)`);
        continue;
      }
      // Examples are data, not schemas: keys inside one are kept as they are.
      const isData = key === 'example' || key === 'examples' || key === 'enum' || key === 'const';
      out[key] = isData ? value : rewrite(value, inSchema || key === 'schema' || key === 'schemas', `${at}/${key}`);
    }
    if (inSchema && node.multipleOf === 1) {
      const integer = (type) => (type === 'number' ? 'integer' : type);
      out.type = Array.isArray(node.type) ? node.type.map(integer) : integer(node.type);
    }
    return out;
  };
  return rewrite(document, false, '#');
}

// ajv-formats' `email` (its default, fast mode), so both validators read `format: email` alike.
const ajvEmail =
  "/^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i";

/** The zod source with ajv-formats' email pattern given to every z.email(). */
export function withEmailPattern(zodSource) {
  if (!zodSource.includes('z.email()')) return zodSource;
  const declaration = `// format: email as JSON Schema validators read it (ajv-formats), added by scripts/generate.mjs.\nconst emailPattern = ${ajvEmail};\n`;
  return zodSource
    .replaceAll('z.email()', 'z.email({ pattern: emailPattern })')
    .replace(/^(import \* as z from 'zod';\n)/m, `$1\n${declaration}`);
}

/** The field sets of `anyOf`/`oneOf` branches that only list `required`, at the schema or in one of its allOf. */
function requiredAlternatives(schema) {
  const found = [];
  for (const part of [schema, ...(schema.allOf ?? [])]) {
    for (const kind of ['anyOf', 'oneOf']) {
      const branches = part[kind];
      if (!branches?.every((b) => Object.keys(b).every((k) => k === 'required' || k === 'description'))) continue;
      found.push({ kind, sets: branches.map((b) => b.required ?? []) });
    }
  }
  return found;
}

/**
 * The zod source with each component schema that has minProperties, maxProperties or required-only anyOf/oneOf
 * branches wrapped in a check of the value as received (JSON Schema counts every property, also those a zod object
 * strips). The message names the fields ("must have at least 1 of customer_reference, …").
 */
export function withObjectChecks(document, zodSource) {
  let source = zodSource;
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    const { minProperties: min, maxProperties: max } = schema;
    const alternatives = requiredAlternatives(schema);
    if (min === undefined && max === undefined && alternatives.length === 0) continue;
    const declaration = new RegExp(`^export const ${zodName(name)} = ([\\s\\S]*?);$`, 'm');
    if (!declaration.test(source)) throw new Error(`no zod declaration of ${name} to check`);
    const fields = Object.keys(schema.properties ?? {});
    const what = fields.length > 0 ? ` of ${fields.join(', ')}` : ' field(s)';
    const tests = [];
    if (min !== undefined)
      tests.push(`Object.keys(value).length < ${min} ? ${quote(`must have at least ${min}${what}`)}`);
    if (max !== undefined)
      tests.push(`Object.keys(value).length > ${max} ? ${quote(`must have at most ${max}${what}`)}`);
    for (const { kind, sets } of alternatives) {
      const present = `[${sets.map((set) => `[${set.map(quote).join(', ')}]`).join(', ')}].filter((set) => set.every((key) => Object.hasOwn(value, key))).length`;
      const words = sets.map((set) => set.join(' and ')).join(kind === 'anyOf' ? ' or ' : ' or else ');
      tests.push(
        `${present} ${kind === 'anyOf' ? '< 1' : '!== 1'} ? ${quote(`must have ${kind === 'anyOf' ? '' : 'exactly one of: '}${words}`)}`,
      );
    }
    const check = `(value, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const problem = ${tests.join(' : ')} : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    return value;
}`;
    source = source.replace(
      declaration,
      (_, expression) =>
        `// Checked by scripts/generate.mjs's wrapper: what the zod plugin does not express (modules.mjs \`unsupported\`).\n` +
        `export const ${zodName(name)} = z.preprocess(${check}, ${expression});`,
    );
  }
  return source;
}

/** Every operation of a bundled document, in document order, with its method and path. */
export function operationsOf(document) {
  const found = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      if (!operation.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      found.push({ path, method, operation, pathItem: item });
    }
  }
  return found;
}

function resolve(document, node) {
  let current = node;
  for (let hops = 0; current && typeof current === 'object' && '$ref' in current; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${current.$ref}`);
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`non-local $ref ${ref} in a bundled document`);
    current = ref
      .slice(2)
      .split('/')
      .map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((at, part) => at?.[part], document);
  }
  return current;
}

/** hey-api's name for a component schema or an operation's part: `zBillIdentifierList`, `zFetchBillsBody`. */
function zodName(name) {
  return `z${name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('')}`;
}

function exportsOf(zodSource) {
  return new Set([...zodSource.matchAll(/^export const (z\w+) =/gm)].map((match) => match[1]));
}

const quote = (text) => `'${String(text).replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', ' ')}'`;
const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name));

/** The zod schema of a response or body media type: its component's, else the operation's own (2xx only). */
function mediaSchema(media, fallback, where, available) {
  const schema = media.schema;
  if (!schema) return undefined;
  const ref = schema.$ref;
  const name = ref?.startsWith('#/components/schemas/') ? zodName(ref.slice('#/components/schemas/'.length)) : fallback;
  if (!name || !available.has(name)) {
    throw new Error(`${where}: no generated zod schema for it (give it a components/schemas entry)`);
  }
  return name;
}

export function operationsModule(api, document, zodSource) {
  const available = exportsOf(zodSource);
  const used = new Set();
  const use = (name) => {
    used.add(name);
    return name;
  };
  const entries = [];
  for (const { path, method, operation, pathItem } of operationsOf(document)) {
    const id = operation.operationId;
    const where = `${api} ${id}`;
    const Op = zodName(id).slice(1);
    const retry = operation['x-bbps-retry'];
    if (!retryRules.has(retry)) throw new Error(`${where}: x-bbps-retry must be safe or never, got ${retry}`);
    const security = operation.security ?? document.security ?? [];
    const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
      resolve(document, p),
    );
    const request = [];
    const body = resolve(document, operation.requestBody);
    if (body) {
      const content = Object.entries(body.content ?? {}).map(([mediaType, media]) => {
        const schema = mediaSchema(media, `z${Op}Body`, `${where} request ${mediaType}`, available);
        return `${quote(mediaType)}: { schema: ${use(schema)} }`;
      });
      request.push(`body: { required: ${body.required === true}, content: { ${content.join(', ')} } }`);
    }
    for (const [location, part] of [
      ['path', 'params'],
      ['query', 'query'],
      ['header', 'headers'],
    ]) {
      if (!parameters.some((p) => p.in === location)) continue;
      const name = `z${Op}${{ path: 'Path', query: 'Query', header: 'Headers' }[location]}`;
      if (!available.has(name)) throw new Error(`${where}: no generated ${name} for its ${location} parameters`);
      request.push(`${part}: ${use(name)}`);
    }
    const responses = Object.entries(operation.responses ?? {}).map(([status, raw]) => {
      const response = resolve(document, raw);
      const fallback = /^2\d\d$/.test(status) ? `z${Op}Response` : undefined;
      const content = Object.entries(response.content ?? {}).flatMap(([mediaType, media]) => {
        const schema = mediaSchema(media, fallback, `${where} ${status} ${mediaType}`, available);
        return schema ? [`${quote(mediaType)}: { schema: ${use(schema)} }`] : [];
      });
      const description = quote(response.description?.split('\n')[0] ?? status);
      return `      ${/^\d+$/.test(status) ? status : quote(status)}: { description: ${description}${content.length ? `, content: { ${content.join(', ')} }` : ''} },`;
    });
    const securityText = security
      .map(
        (requirement) =>
          `{ ${Object.keys(requirement)
            .map((scheme) => `${key(scheme)}: []`)
            .join(', ')} }`,
      )
      .join(', ');
    entries.push(
      [
        `  ${key(id)}: {`,
        `    operationId: ${quote(id)},`,
        `    method: ${quote(method)} as const,`,
        `    path: ${quote(path)},`,
        `    security: [${securityText}],`,
        `    'x-bbps-retry': ${quote(retry)} as const,`,
        ...(request.length ? [`    request: { ${request.join(', ')} },`] : []),
        '    responses: {',
        ...responses,
        '    },',
        '  },',
      ].join('\n'),
    );
  }
  return [
    `// Generated from specs/${api} by packages/contracts/scripts/generate.mjs. Do not edit.`,
    '// One route per operation, in the shape @hono/zod-openapi createRoute() takes, with the generated zod schemas.',
    '',
    `import { ${[...used].sort().join(', ')} } from './${api}.zod.ts';`,
    '',
    'export const operations = {',
    entries.join('\n'),
    '};',
    '',
    'export type OperationId = keyof typeof operations;',
    '',
  ].join('\n');
}

/** Each security scheme's type and, for an API key, where it is sent and under what name. */
function securitySchemesOf(document) {
  return Object.entries(document.components?.securitySchemes ?? {}).map(([scheme, raw]) => {
    const { type, in: where, name } = resolve(document, raw);
    const fields = [`type: ${quote(type)}`];
    if (where !== undefined) fields.push(`in: ${quote(where)}`);
    if (name !== undefined) fields.push(`name: ${quote(name)}`);
    return `  ${key(scheme)}: { ${fields.join(', ')} },`;
  });
}

export function rulesModule(api, document) {
  const rules = operationsOf(document).map(({ path, method, operation }) => {
    return `  ${quote(`${method.toUpperCase()} ${path}`)}: { operationId: ${quote(operation.operationId)}, retry: ${quote(operation['x-bbps-retry'])} },`;
  });
  const outcomes = Object.entries(document.components?.schemas ?? {}).flatMap(([name, schema]) => {
    const table = schema['x-bbps-outcome'];
    if (table === undefined) return [];
    const values = schema.enum ?? [];
    for (const [value, outcome] of Object.entries(table)) {
      if (!outcomeValues.has(outcome))
        throw new Error(
          `${api} ${name}: x-bbps-outcome ${value}: ${outcome} is not one of ${[...outcomeValues].join(', ')}`,
        );
      if (!values.includes(value))
        throw new Error(`${api} ${name}: x-bbps-outcome names ${value}, which is not in its enum`);
    }
    const missing = values.filter((value) => !(value in table));
    if (missing.length > 0) throw new Error(`${api} ${name}: x-bbps-outcome says nothing of ${missing.join(', ')}`);
    const lines = Object.entries(table).map(([value, outcome]) => `    ${quote(value)}: ${quote(outcome)},`);
    return [`  ${key(name)}: {\n${lines.join('\n')}\n  },`];
  });
  return [
    `// Generated from specs/${api} by packages/contracts/scripts/generate.mjs. Do not edit.`,
    '',
    '/** `x-bbps-retry` of each operation, keyed by `METHOD /path`: `safe` to repeat, or sent exactly once (`never`). */',
    'export const operationRules = {',
    ...rules,
    '} as const;',
    '',
    '/** `x-bbps-outcome` of each status schema that has one: what each value means; all but `pending` are final. */',
    'export const outcomes = {',
    ...outcomes,
    '} as const;',
    '',
    '/** How each credential is sent (components.securitySchemes): the header a client sets and a server reads. */',
    'export const securitySchemes = {',
    ...securitySchemesOf(document),
    '} as const;',
    '',
  ].join('\n');
}
