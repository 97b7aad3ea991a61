// Drives every operation of a contract through its typed client against the contract's Prism mock. The operations
// and their statuses come from the spec (Contract.operations()), so an operation without a call here, or a new
// status, shows up as a failing test rather than as silence.
import type { Contract, OperationInfo } from '@bbps-kit/contracts/validator';
import { type ApiName, type RunningPrism, startMock } from '@bbps-kit/mocks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type MediaObject = { example?: unknown; examples?: Record<string, unknown> };
type ResponseObject = { content?: Record<string, MediaObject> };

/** The first example of a media object, following `$ref`s to components/examples. */
function firstOf(contract: Contract, media: MediaObject | undefined): unknown {
  if (!media) return undefined;
  const first = Object.values(media.examples ?? {})[0];
  if (first !== undefined) return (contract.resolve(first) as { value?: unknown }).value;
  return media.example;
}

export function responseExample(contract: Contract, operationId: string, status: string | number): unknown {
  const op = contract.operation(operationId);
  const response = contract.resolve(op.operation.responses[String(status)]) as ResponseObject | undefined;
  return firstOf(contract, response?.content?.['application/json']);
}

/** The numeric statuses an operation declares, in spec order. */
export function declaredStatuses(op: OperationInfo): number[] {
  return Object.keys(op.operation.responses).map((key) => {
    const status = Number(key);
    // A range (4XX) or default could not be asked for with Prefer: code=; none of the contracts uses one.
    if (!Number.isInteger(status)) throw new Error(`${op.operationId}: status ${key} is not a number`);
    return status;
  });
}

export type Answer = { data?: unknown; error?: unknown; response: Response };
/** One typed call of an operation; `headers` carries Prism's `Prefer`. */
export type Call<C> = (client: C, headers?: Record<string, string>) => Promise<Answer>;

export interface ContractSuite<C> {
  api: ApiName;
  contract: Contract;
  /** A client with valid credentials. */
  createClient: (baseUrl: string) => C;
  /** The same client built with its credentials missing. */
  createClientWithoutCredentials: (baseUrl: string) => C;
  /** A valid call of every operation, keyed by operationId. */
  calls: Record<string, Call<C>>;
  /** A call of every operation that breaks the request schema, keyed by operationId. */
  invalidCalls: Record<string, Call<C>>;
  /** More tests that need the running mock (the README example). */
  extra?: (mock: () => RunningPrism) => void;
}

function body(answer: Answer): unknown {
  return answer.response.ok ? answer.data : answer.error;
}

export function contractSuite<C>(suite: ContractSuite<C>): void {
  const { contract, calls, invalidCalls } = suite;
  const operations = contract.operations();
  let mock: RunningPrism | undefined;
  let client: C;
  let anonymous: C;

  beforeAll(async () => {
    mock = await startMock(suite.api);
    client = suite.createClient(mock.url);
    anonymous = suite.createClientWithoutCredentials(mock.url);
  });
  afterAll(async () => {
    await mock?.stop();
  });

  const call = (table: Record<string, Call<C>>, operationId: string): Call<C> => {
    const found = table[operationId];
    if (!found) throw new Error(`${suite.api}: the spec has an operation ${operationId} that this test never calls`);
    return found;
  };
  const failWith = (answer: Answer) =>
    `HTTP ${answer.response.status} ${JSON.stringify(body(answer))}\n${mock?.output().slice(-2000)}`;

  describe(`${suite.api}: operations`, () => {
    it('calls exactly the operations the spec declares', () => {
      expect(Object.keys(calls).sort()).toEqual(operations.map((op) => op.operationId).sort());
      expect(Object.keys(invalidCalls).sort()).toEqual(operations.map((op) => op.operationId).sort());
    });
  });

  for (const op of operations) {
    // Concurrent: Prism answers each request in tens of milliseconds; in sequence the suites would mostly wait.
    describe.concurrent(`${suite.api} ${op.operationId} (${op.method.toUpperCase()} ${op.path})`, () => {
      it('200: answers the first 200 example, valid against the schema', async () => {
        const answer = await call(calls, op.operationId)(client);
        expect(answer.response.status, failWith(answer)).toBe(200);
        expect(answer.data).toEqual(responseExample(contract, op.operationId, 200));
        expect(contract.response(op.operationId, 200, answer.data).errors).toEqual([]);
      });

      for (const status of declaredStatuses(op).filter((s) => s !== 200)) {
        it(`${status}: Prefer: code=${status} answers the contract's envelope`, async () => {
          const answer = await call(calls, op.operationId)(client, { Prefer: `code=${status}` });
          expect(answer.response.status, failWith(answer)).toBe(status);
          expect(answer.error).toEqual(responseExample(contract, op.operationId, status));
          expect(contract.response(op.operationId, status, answer.error).errors).toEqual([]);
        });
      }

      it('401: a client without credentials gets the contract 401 envelope', async () => {
        const answer = await call(calls, op.operationId)(anonymous);
        expect(answer.response.status, failWith(answer)).toBe(401);
        expect(answer.error).toEqual(responseExample(contract, op.operationId, 401));
        expect(contract.response(op.operationId, 401, answer.error).errors).toEqual([]);
      });

      it("400: an invalid request gets a 400 in the contract's own envelope", async () => {
        const answer = await call(invalidCalls, op.operationId)(client);
        expect(answer.response.status, failWith(answer)).toBe(400);
        expect(answer.response.headers.get('content-type')).toMatch(/^application\/json/);
        // The mock's front names the field Prism found wrong, so the body is the envelope, not the example.
        expect(contract.response(op.operationId, 400, answer.error).errors).toEqual([]);
      });
    });
  }

  suite.extra?.(() => {
    if (!mock) throw new Error('mock not started');
    return mock;
  });
}
