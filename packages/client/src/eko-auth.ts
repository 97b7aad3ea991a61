import { createHmac } from 'node:crypto';

// Eko's signing key is the base64 *text* of the access key used as raw ASCII bytes, not its decoded bytes:
// decoding would be the natural mistake, and the published vectors only match this way.
function ekoHmac(accessKey: string, message: string): string {
  const key = Buffer.from(accessKey, 'utf8').toString('base64');
  return createHmac('sha256', Buffer.from(key, 'ascii')).update(message, 'utf8').digest('base64');
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
