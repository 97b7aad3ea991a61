import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

// Eko's signing key is the base64 *text* of the access key used as raw ASCII bytes, not its decoded bytes:
// decoding would be the natural mistake, and the published vectors only match this way.
function signingKey(accessKey: string): KeyObject {
  return createSecretKey(Buffer.from(Buffer.from(accessKey, 'utf8').toString('base64'), 'ascii'));
}

// One KeyObject per access key (a process signs with one or two): createHmac with raw bytes prepares the key again
// on every call, about 6 % of a signed call's CPU.
const signingKeys = new Map<string, KeyObject>();

function ekoHmac(accessKey: string, message: string): string {
  let key = signingKeys.get(accessKey);
  if (key === undefined) {
    key = signingKey(accessKey);
    if (signingKeys.size >= 16) signingKeys.clear();
    signingKeys.set(accessKey, key);
  }
  return createHmac('sha256', key).update(message, 'utf8').digest('base64');
}

/**
 * The `secret-key` header: base64(HMAC-SHA256(key = base64(accessKey) as text, message = timestamp)).
 * `timestamp` is the `secret-key-timestamp` header value, milliseconds since the epoch.
 */
export function ekoSecretKey(accessKey: string, timestamp: string | number): string {
  return ekoHmac(accessKey, String(timestamp));
}

/**
 * The opt-in `request_hash` header older Eko pay-bill pages ask for: the same HMAC over
 * timestamp + utility_acc_no + amount + user_code, concatenated without separators. `amount` must be the
 * exact text sent in the body (see `ekoRupeeStringFromPaise` in @bbps-kit/money).
 */
export function ekoRequestHash(
  accessKey: string,
  timestamp: string | number,
  utilityAccNo: string,
  amount: string,
  userCode: string,
): string {
  return ekoHmac(accessKey, `${timestamp}${utilityAccNo}${amount}${userCode}`);
}

/** Milliseconds since the epoch as Eko wants it in `secret-key-timestamp`. */
export function ekoTimestamp(now: () => number = Date.now): string {
  return String(Math.trunc(now()));
}
