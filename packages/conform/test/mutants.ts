// Deliberately broken billers: the real one behind a wrapper that breaks exactly one rule, each a mistake real
// implementations make. The suite proves the kit catches each one and names the right check.
import type { Handler } from './biller.ts';

async function bodyOf(request: Request): Promise<{ text: string; json: unknown }> {
  const text = await request.text();
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    return { text, json: undefined };
  }
}

function withBody(request: Request, body: string, headers?: Headers): Request {
  return new Request(request.url, { method: request.method, headers: headers ?? request.headers, body });
}

let fresh = 0;
const freshId = () => `9${String(Date.now()).slice(-9)}${String(++fresh).padStart(6, '0')}`;

/** Treats every repost as a new payment: a repeated EBPP id or Kaleidofin transactionId gets a fresh one. */
export const creditsRepostTwice =
  (real: Handler): Handler =>
  async (request) => {
    const path = new URL(request.url).pathname;
    if (path !== '/paymentposting' && path !== '/bills/fetchReceipt') return real(request);
    const { text, json } = await bodyOf(request);
    const body = json as { id?: string; paymentDetails?: { transactionId?: string } } | undefined;
    if (body?.id) body.id = freshId();
    if (body?.paymentDetails?.transactionId) body.paymentDetails.transactionId = `T${freshId()}`;
    return real(withBody(request, body ? JSON.stringify(body) : text));
  };

/** Pays a Kaleidofin bill whatever the amount: amountPaid is replaced by the bill's amount. */
export const ignoresExactness =
  (real: Handler): Handler =>
  async (request) => {
    if (new URL(request.url).pathname !== '/bills/fetchReceipt') return real(request);
    const { text, json } = await bodyOf(request);
    const body = json as { paymentDetails?: { billAmount?: number; amountPaid?: number } } | undefined;
    if (body?.paymentDetails?.billAmount !== undefined) body.paymentDetails.amountPaid = body.paymentDetails.billAmount;
    return real(withBody(request, body ? JSON.stringify(body) : text));
  };

/** Every client error becomes a 500 with a body of its own. */
export const errorsAs500 =
  (real: Handler): Handler =>
  async (request) => {
    const response = await real(request);
    if (response.status < 400 || response.status >= 500) return response;
    return Response.json({ message: 'Something failed' }, { status: 500 });
  };

/** Errors keep their status but leave the contract's envelope. */
export const errorsOutsideEnvelope =
  (real: Handler): Handler =>
  async (request) => {
    const response = await real(request);
    if (response.status < 400) return response;
    return new Response(`error ${response.status}`, {
      status: response.status,
      headers: { 'content-type': 'text/plain' },
    });
  };

/** Accepts any key, or none: the right demo keys are put on every request. */
export const acceptsAnyKey =
  (keys: Record<string, string>) =>
  (real: Handler): Handler =>
  async (request) => {
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(keys)) headers.set(name, value);
    return real(withBody(request, await request.text(), headers));
  };

/** Answers every request after `ms`. */
export const slow =
  (ms: number) =>
  (real: Handler): Handler =>
  async (request) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return real(request);
  };

/**
 * Takes any EBPP payment amount: where the real biller refuses one under the account's minimum or over its maximum
 * (422 error_payment_amount_low / _high), this one answers 200 as if it had posted it.
 */
export const ignoresLimits =
  (real: Handler): Handler =>
  async (request) => {
    if (new URL(request.url).pathname !== '/paymentposting') return real(request);
    const { text, json } = await bodyOf(request);
    const response = await real(withBody(request, text));
    const codes =
      response.status === 422 ? ((await response.clone().json()) as { errors: { code: string }[] }).errors : [];
    if (!codes.some((e) => e.code === 'error_payment_amount_low' || e.code === 'error_payment_amount_high'))
      return response;
    const body = json as {
      id: string;
      confirmation_number: string;
      amount: string;
      customer_account: { account_number: string };
    };
    return Response.json({
      id: body.id,
      confirmation_number: body.confirmation_number,
      payment_reference: `PMT-${freshId()}`,
      status: 'processing',
      amount: body.amount,
      currency_code3d: 'INR',
      account_number: body.customer_account.account_number,
    });
  };
