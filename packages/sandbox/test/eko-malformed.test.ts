// Malformed requests of every kind Prism falls over on (broken percent-escapes, odd methods, junk headers and
// bodies): the Eko simulator answers each in its envelope, never with a 5xx, and keeps answering afterwards.
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchQuery, type Harness, initiator, payBody, startEko } from './harness.ts';

let eko: Harness;
beforeAll(async () => {
  eko = await startEko();
});
afterAll(() => eko.close());

const junk = () => {
  const pieces = ['%', '%zz', '%E0%A4', ':', 'client_ref_id:', '..', '%00', '%2F', '?', '&', '=', '#', 'é', ' '];
  return Array.from({ length: randomInt(1, 6) }, () =>
    randomInt(2) ? pieces[randomInt(pieces.length)] : randomBytes(randomInt(1, 8)).toString('base64url'),
  ).join('');
};

it('600 malformed requests: each answered in the envelope, none 5xx, and the sandbox still answers', async () => {
  const bases = ['/tools/reference/transaction/', '/customer/payment/bbps', '/customer/payment/bbps/bill', '/'];
  const requests = Array.from({ length: 600 }, (_, i) => {
    const path = `${bases[i % bases.length]}${junk()}`.replaceAll(' ', '%20').replaceAll('#', '%23');
    const method = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'][randomInt(5)] as string;
    const headers: Record<string, string> = randomInt(4)
      ? eko.signed()
      : { developer_key: junk().replaceAll(/[^!-~]/g, 'x') };
    if (randomInt(3) === 0) headers['x-sandbox-delay-ms'] = String(randomInt(-5, 5));
    // An account ending in a letter never has a magic suffix (a 0005 would be a legitimate 500).
    const body = method === 'GET' ? undefined : randomInt(2) ? junk() : JSON.stringify(payBody(`${junk()}x`));
    return { path, method, headers, body };
  });
  for (const request of requests) {
    const response = await fetch(`${eko.url}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    const text = await response.text();
    const where = `${request.method} ${request.path} → ${response.status} ${text}`;
    expect(response.status, where).toBeLessThan(500);
    const body = JSON.parse(text);
    if (response.status >= 400) expect(eko.contract.schema('ErrorResponse', body).errors, where).toEqual([]);
    if (response.status === 400) expect(Object.keys(body.invalid_params ?? {}).length, where).toBeGreaterThan(0);
  }
  const { status } = await eko.call('fetchBill', fetchQuery('1234567890'));
  expect(status).toBe(200);
  expect(
    (await eko.call('getTransaction', `/tools/reference/transaction/2882709962?initiator_id=${initiator}`)).status,
  ).toBe(200);
});
