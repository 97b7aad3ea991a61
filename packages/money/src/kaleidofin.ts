import { assertPaise, MAX_SAFE_PAISE, paiseFromRupeeText, plainTextFromNumber, rupeeTextFromPaise } from './decimal.ts';
import { MoneyError } from './error.ts';

/**
 * Every paise amount below this is carried exactly by a Kaleidofin JSON number (2^46 rupees: from there on
 * a double's spacing exceeds one paisa, so some neighbouring amounts share a number). Amounts between this
 * and Number.MAX_SAFE_INTEGER paise are accepted only when no neighbour collides.
 */
export const KALEIDOFIN_EXACT_PAISE_LIMIT = 2n ** 46n * 100n;

/**
 * Kaleidofin `billAmount` / `amountPaid`: a JSON number in rupees with at most 2 decimals.
 * The number is judged by its shortest round-trip text (`String(n)`), so `1000.1` is 100010 paise while
 * `0.1 + 0.2` (text "0.30000000000000004") is rejected rather than rounded.
 *
 * The spec states only `minimum: 0` (`billAmount`) or `exclusiveMinimum: 0` (`amountPaid`), which the request
 * schema checks; the 2-decimal rule has no counterpart there (no `multipleOf`, which a double could not honour
 * exactly anyway): it is this module's, because an amount is whole paise.
 */
export function paiseFromKaleidofinRupees(n: number): bigint {
  const form = 'kaleidofin-rupees';
  if (typeof n !== 'number') throw new MoneyError(form, n, 'not a number');
  if (!Number.isFinite(n)) throw new MoneyError(form, n, 'not a finite number');
  if (n < 0) throw new MoneyError(form, n, 'negative amount');
  const paise = paiseFromRupeeText(plainTextFromNumber(n), form, n);
  if (paise > MAX_SAFE_PAISE) throw new MoneyError(form, n, 'more than Number.MAX_SAFE_INTEGER paise');
  // Near 2^53 paise one double can stand for two amounts a paisa apart; the sender's intent is then unknowable.
  const below = paise === 0n ? undefined : Number(rupeeTextFromPaise(paise - 1n, true));
  const above = Number(rupeeTextFromPaise(paise + 1n, true));
  if (below === n || above === n) {
    throw new MoneyError(form, n, 'ambiguous: this number also stands for a neighbouring paise amount');
  }
  return paise;
}

/** Paise → Kaleidofin JSON number in rupees; throws unless the number reads back as exactly `paise`. */
export function kaleidofinRupeesFromPaise(paise: bigint): number {
  const form = 'kaleidofin-rupees';
  assertPaise(paise, form);
  // Below the limit every amount is carried exactly, and dividing the (exact) integer by 100 is the same correctly
  // rounded conversion as reading the decimal text: no read-back needed. (The read-back made up most of a
  // fetchBills answer's money handling, ten bills a response.)
  if (paise < KALEIDOFIN_EXACT_PAISE_LIMIT) return Number(paise) / 100;
  if (paise > MAX_SAFE_PAISE) throw new MoneyError(form, paise, 'more than Number.MAX_SAFE_INTEGER paise');
  // Decimal text → number is one correctly rounded conversion; the read-back proves nothing was lost.
  const n = Number(rupeeTextFromPaise(paise, false));
  let back: bigint | undefined;
  try {
    back = paiseFromKaleidofinRupees(n);
  } catch {
    back = undefined;
  }
  if (back !== paise) throw new MoneyError(form, paise, 'not exactly representable as a JSON number in rupees');
  return n;
}
