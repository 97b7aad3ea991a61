import { assertPaise, paiseFromRupeeText, rupeeTextFromPaise } from './decimal.ts';
import { MoneyError } from './error.ts';

/**
 * Eko fetch `bill_amount`: a digit string in paise, as the seed says. Public Eko samples show rupee
 * values such as "2870.0" in this field; a decimal point therefore most likely means rupees, and guessing
 * would be off by a factor of 100, so it is rejected. The spec gives `bill_amount` no pattern (for that very
 * question), so there is no rule of the contract's to derive here: the digits-only rule is this module's.
 */
export function paiseFromEkoPaiseString(text: string): bigint {
  const form = 'eko-paise-string';
  if (typeof text !== 'string') throw new MoneyError(form, text, 'not a string');
  if (/^[0-9]+$/.test(text)) return BigInt(text);
  if (text.startsWith('-')) throw new MoneyError(form, text, 'negative amount');
  if (/^[0-9]+\.[0-9]+$/.test(text)) {
    throw new MoneyError(form, text, 'decimal point in a paise field (looks like rupees; refusing to guess the unit)');
  }
  throw new MoneyError(form, text, 'not an integer paise amount');
}

/** Paise → Eko paise string, e.g. `135000n` → "135000". */
export function ekoPaiseStringFromPaise(paise: bigint): string {
  assertPaise(paise, 'eko-paise-string');
  return paise.toString();
}

/**
 * Eko rupee amounts as received (Pay BBPS Bill and inquiry `data.amount`): rupees as text, "1350", "1350.5" or
 * "1350.50". At most 2 decimals, because paise are exact. The spec gives those response fields no pattern, so
 * this rule is this module's own; only the pay request's `amount` has one, and what this module writes there
 * (ekoRupeeStringFromPaise) is tested against it.
 */
export function paiseFromEkoRupeeString(text: string): bigint {
  const form = 'eko-rupee-string';
  if (typeof text !== 'string') throw new MoneyError(form, text, 'not a string');
  return paiseFromRupeeText(text, form);
}

/**
 * Paise → Eko pay `amount`. Whole rupees print without decimals ("1350", the form Eko's own examples and
 * the request_hash vector use); anything else prints exactly 2 decimals ("1350.50").
 */
export function ekoRupeeStringFromPaise(paise: bigint): string {
  assertPaise(paise, 'eko-rupee-string');
  return rupeeTextFromPaise(paise, false);
}
