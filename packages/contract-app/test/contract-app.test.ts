// contractApp on a small contract of its own: a prefixed and a plain parameter on one path (Eko's inquiries), a
// JSON body, a key header. Every refusal must come through the envelope, with the field or header it is about.
import { z } from '@hono/zod-openapi';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describe, expect, it } from 'vitest';
import { apiKeyAuth, contractApp, type Envelope, type Handlers, honoPath, type Problem } from '../src/index.ts';

const ok = (schema: z.ZodType) => ({ description: 'ok', content: { 'application/json': { schema } } });
const routes = {
  byId: {
    operationId: 'byId',
    method: 'get' as const,
    path: '/things/{id}',
    request: { params: z.object({ id: z.string().regex(/^\d{1,9}$/) }) },
    responses: { 200: ok(z.object({ id: z.string() })) },
  },
  byRef: {
    operationId: 'byRef',
    method: 'get' as const,
    path: '/things/ref.no:{ref}',
    request: { params: z.object({ ref: z.string().min(3) }) },
    responses: { 200: ok(z.object({ ref: z.string() })) },
  },
  create: {
    operationId: 'create',
    method: 'post' as const,
    path: '/things',
    request: { body: { required: true, content: { 'application/json': { schema: z.object({ n: z.number() }) } } } },
    responses: { 200: ok(z.object({ n: z.number() })) },
  },
};

type Forbidden = { kind: 'forbidden' };
const envelope: Envelope<Forbidden> = {
  problem: (c, problem) => c.json({ problem }, problem.kind === 'forbidden' ? 403 : statusOf(problem)),
};
function statusOf(problem: Problem): ContentfulStatusCode {
  const statuses: Record<Problem['kind'], ContentfulStatusCode> = {
    invalid: 400,
    malformed_body: 400,
    unsupported_media_type: 415,
    too_large: 413,
    not_found: 404,
    method_not_allowed: 405,
    unauthorized: 401,
    unavailable: 503,
    internal: 500,
  };
  return statuses[problem.kind];
}

/** What a service throws when its database went away: the test's stand-in for the biller's. */
class Outage extends Error {}

function build(options: { create?: Handlers<typeof routes>['create'] } = {}) {
  const logged: string[] = [];
  const handlers: Handlers<typeof routes> = {
    byId: (c) => c.json({ id: c.req.valid('param').id }, 200),
    byRef: (c) => c.json({ ref: c.req.valid('param').ref }, 200),
    create: options.create ?? (async (c) => c.json({ n: c.req.valid('json').n }, 200)),
  };
  const app = contractApp<typeof routes, Forbidden>({
    routes,
    handlers,
    envelope,
    authenticate: (c) => {
      const key = c.req.header('x-key');
      if (!key) return { kind: 'unauthorized', header: 'x-key' };
      return key === 'good' ? undefined : { kind: 'forbidden' };
    },
    bodyLimitBytes: 100,
    logger: { log: (level, msg) => logged.push(`${level} ${msg}`) },
    namespaces: ['/things'],
    unavailable: (error) => error instanceof Outage,
  });
  const request = (path: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { 'x-key': 'good', ...(init.headers as Record<string, string>) } });
  return { app, request, logged };
}

const post = (body: string, type?: string): RequestInit => ({
  method: 'POST',
  body,
  headers: type ? { 'content-type': type } : {},
});

describe('contractApp', () => {
  it('writes a prefixed segment as a parameter whose pattern is the escaped prefix', () => {
    expect(honoPath('/things/ref.no:{ref}')).toEqual({
      at: '/things/:ref{ref\\.no:[^/]*}',
      prefixes: { ref: 'ref.no:' },
    });
    expect(honoPath('/a/{b}/c')).toEqual({ at: '/a/:b/c', prefixes: {} });
  });

  it('dispatches a prefixed segment to its operation, without the prefix, and anything else to the plain one', async () => {
    const { request } = build();
    expect(await (await request('/things/ref.no:ABC')).json()).toEqual({ ref: 'ABC' });
    expect(await (await request('/things/42')).json()).toEqual({ id: '42' });
    // Not the prefix (the `.` is literal): the plain parameter, whose pattern refuses it, naming `id`.
    const near = await request('/things/refXno:ABC');
    expect(near.status).toBe(400);
    expect(((await near.json()) as { problem: { fields: { field: string }[] } }).problem.fields[0]?.field).toBe('id');
    const short = await request('/things/ref.no:A');
    expect(short.status).toBe(400);
    expect(((await short.json()) as { problem: { fields: { field: string }[] } }).problem.fields[0]?.field).toBe('ref');
  });

  it('answers each refusal in the envelope', async () => {
    const { request, app } = build();
    expect((await app.request('/things/1')).status).toBe(401);
    expect((await app.request('/things/1', { headers: { 'x-key': 'bad' } })).status).toBe(403);
    expect((await request('/things', post('{"n":"x"}', 'application/json'))).status).toBe(400);
    const malformed = await request('/things', post('{', 'application/json'));
    expect(((await malformed.json()) as { problem: Problem }).problem.kind).toBe('malformed_body');
    expect((await request('/things', post('n=1', 'text/plain'))).status).toBe(415);
    expect((await request('/things', post(`{"n":1,"pad":"${'x'.repeat(200)}"}`, 'application/json'))).status).toBe(413);
    const wrongMethod = await request('/things', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('content-type')).toContain('json');
    expect((await request('/things/1/more')).status).toBe(404);
    expect((await request('/things/elsewhere/deep')).status).toBe(404);
  });

  it('refuses a required body sent without Content-Type as unsupported', async () => {
    const answer = await build().request('/things', post('{"n":1}'));
    expect(answer.status).toBe(415);
    expect(await answer.json()).toEqual({ problem: { kind: 'unsupported_media_type', expected: 'application/json' } });
  });

  it('answers a thrown error as internal (logged) and a database outage as unavailable', async () => {
    const thrown = build({
      create: () => {
        throw new Error('boom');
      },
    });
    expect((await thrown.request('/things', post('{"n":1}', 'application/json'))).status).toBe(500);
    expect(thrown.logged).toEqual(['error unhandled error']);
    const outage = new Outage('gone', { cause: new Error('ECONNREFUSED') });
    const down = build({
      create: () => {
        throw outage;
      },
    });
    expect((await down.request('/things', post('{"n":1}', 'application/json'))).status).toBe(503);
    expect(down.logged).toEqual(['warn database unavailable']);
    // Recognised by the option alone, not by the error's name.
    const named = build({
      create: () => {
        throw Object.assign(new Error('gone'), { name: 'DatabaseUnavailableError' });
      },
    });
    expect((await named.request('/things', post('{"n":1}', 'application/json'))).status).toBe(500);
  });
});

describe('apiKeyAuth', () => {
  const schemes = {
    first: { type: 'apiKey', in: 'header', name: 'x-first' },
    second: { type: 'apiKey', in: 'header', name: 'x-second' },
  } as const;

  it('reads each key from the header its scheme names, checks every one, and names the first wrong', async () => {
    const asked: string[] = [];
    const check = (good: string) => (presented: string | undefined) => {
      asked.push(`${good}:${presented}`);
      return presented === good;
    };
    const auth = apiKeyAuth(schemes, { first: check('one'), second: check('two') });
    const app = new Hono().get('/', (c) => c.json(auth(c) ?? null));
    const problem = async (headers: Record<string, string>) => (await app.request('/', { headers })).json();

    expect(await problem({ 'x-first': 'one', 'x-second': 'two' })).toBeNull();
    expect(await problem({ 'x-first': 'one', 'x-second': 'nope' })).toEqual({
      kind: 'unauthorized',
      header: 'x-second',
    });
    asked.length = 0;
    expect(await problem({ 'X-Second': 'two' })).toEqual({ kind: 'unauthorized', header: 'x-first' });
    // The first key was wrong, and the second was still checked: the timing says nothing about which.
    expect(asked).toEqual(['one:undefined', 'two:two']);
    asked.length = 0;
    expect(await problem({ 'x-first': 'bad', 'x-second': 'bad' })).toEqual({ kind: 'unauthorized', header: 'x-first' });
    expect(asked).toEqual(['one:bad', 'two:bad']);
  });

  it('refuses, when built, a scheme that is not an API key in a header', () => {
    const cookie = { session: { type: 'apiKey', in: 'cookie', name: 'sid' } };
    expect(() => apiKeyAuth(cookie, { session: () => true })).toThrow(/session is not an API key sent in a header/);
    const bearer = { token: { type: 'http', in: 'header', name: 'authorization' } };
    expect(() => apiKeyAuth(bearer, { token: () => true })).toThrow(/token is not an API key/);
    expect(() => apiKeyAuth({}, {})).toThrow(/declares no security scheme/);
    expect(() => apiKeyAuth(schemes, { first: () => true } as never)).toThrow(/no check for scheme second/);
  });
});
