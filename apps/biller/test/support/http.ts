// Calling the app in-process (app.request: the real Hono pipeline, no socket) and checking every answer
// against the contract with the spec's own schemas.
import { type ApiName, Contract } from '@bbps-kit/contracts/validator';
import { expect } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { demoKeys } from '../../src/config.ts';
import type { Db } from '../../src/db/db.ts';
import { createLogger } from '../../src/logging.ts';

export const kaleidofinHeaders = { 'x-api-key': demoKeys.kaleidofinApiKey };
export const ebppHeaders = { 'client-key': demoKeys.ebppClientKey, 'api-key': demoKeys.ebppApiKey };

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  body: any;
}

export function testApp(db: Db) {
  const lines: string[] = [];
  const app = buildApp({
    db,
    config: {
      kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
      ebppClientKey: demoKeys.ebppClientKey,
      ebppApiKeys: [demoKeys.ebppApiKey],
    },
    logger: createLogger((line) => lines.push(line)),
  });
  const call = async (
    method: string,
    path: string,
    options: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string>; raw?: string } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.raw !== undefined) body = options.raw;
    const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  };
  return { app, call, logLines: lines };
}

const contracts = new Map<ApiName, Promise<Contract>>();
export function contract(api: ApiName): Promise<Contract> {
  let loaded = contracts.get(api);
  if (!loaded) {
    loaded = Contract.load(api);
    contracts.set(api, loaded);
  }
  return loaded;
}

/** The answer is one the operation declares, and its body validates against the spec's schema. */
export async function expectConforms(api: ApiName, operationId: string, answer: Answer): Promise<void> {
  const verdict = (await contract(api)).response(operationId, answer.status, answer.body);
  expect(verdict.errors, `${operationId} ${answer.status}: ${answer.text}`).toEqual([]);
}

/** An example from the spec, by operation and name: `request` from the request body, else from a response. */
export async function example(api: ApiName, operationId: string, name: string): Promise<unknown> {
  const c = await contract(api);
  const { operation } = c.operation(operationId);
  const candidates: unknown[] = [];
  for (const media of Object.values(operation.requestBody?.content ?? {})) candidates.push(media.examples?.[name]);
  for (const response of Object.values(operation.responses)) {
    const content = (c.resolve(response) as { content?: Record<string, { examples?: Record<string, unknown> }> })
      .content;
    for (const media of Object.values(content ?? {})) candidates.push(media.examples?.[name]);
  }
  const found = candidates.find((candidate) => candidate !== undefined);
  if (!found) throw new Error(`${api} ${operationId} has no example ${name}`);
  return (c.resolve(found) as { value: unknown }).value;
}
