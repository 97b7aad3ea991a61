import { assertPaise, MAX_SAFE_PAISE } from './decimal.ts';
import { MoneyError } from './error.ts';

/**
 * Digiledge `txnAmount` (and the polled bill amounts): integer paise, as a JSON number or a digit string.
 * A zero fraction is tolerated because the seed's own response example writes `0.0`; any other fraction
 * would be a fraction of a paisa and is rejected. Capped at Number.MAX_SAFE_INTEGER so the value always
 * fits the JSON integer the contract declares.
 *
 * Not derived from the spec, on purpose: this one reader serves three fields whose schemas differ (the pay
 * request's `txnAmount`, an integer of at least 1; the payment record's `txnAmount`, a number of at least 0;
 * the bill's `billAmount`, a string of 1 to 15 digits), so it accepts their union and only converts. Whether a
 * received field has its own field's shape is for that field's generated schema to say.
 */
export function paiseFromDigiledge(value: number | string): bigint {
  const form = 'digiledge-paise';
  let paise: bigint;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyError(form, value, 'not a finite number');
    if (value < 0) throw new MoneyError(form, value, 'negative amount');
    if (!Number.isInteger(value)) throw new MoneyError(form, value, 'fraction of a paisa');
    if (!Number.isSafeInteger(value)) throw new MoneyError(form, value, 'more than Number.MAX_SAFE_INTEGER paise');
    paise = BigInt(value);
  } else if (typeof value === 'string') {
    const match = /^([0-9]+)(\.[0-9]+)?$/.exec(value);
    if (match === null) {
      throw new MoneyError(form, value, value.startsWith('-') ? 'negative amount' : 'not an integer paise amount');
    }
    if (match[2] !== undefined && !/^\.0+$/.test(match[2])) throw new MoneyError(form, value, 'fraction of a paisa');
    paise = BigInt(match[1] ?? '');
  } else {
    throw new MoneyError(form, value, 'not a number or a string');
  }
  if (paise > MAX_SAFE_PAISE) throw new MoneyError(form, value, 'more than Number.MAX_SAFE_INTEGER paise');
  return paise;
}

/** Paise → Digiledge JSON integer. */
export function digiledgeFromPaise(paise: bigint): number {
  const form = 'digiledge-paise';
  assertPaise(paise, form);
  if (paise > MAX_SAFE_PAISE) throw new MoneyError(form, paise, 'more than Number.MAX_SAFE_INTEGER paise');
  return Number(paise);
}
