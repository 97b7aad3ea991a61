import { assertPaise, paiseFromRupeeText, rupeeTextFromPaise } from './decimal.ts';
import { MoneyError } from './error.ts';

/** The largest amount an EBPP decimal string can carry: 99999999999999.99 (14 integer digits). */
export const EBPP_MAX_PAISE = 10n ** 16n - 1n;

const EBPP_AMOUNT = /^[0-9]{1,14}(\.[0-9][0-9]?)?$/;

/** EBPP `amount` / `refund_amount`: `^[0-9]{1,14}(\.[0-9][0-9]?)?$`, in rupees. */
export function paiseFromEbppAmount(text: string): bigint {
  const form = 'ebpp-amount';
  if (typeof text !== 'string') throw new MoneyError(form, text, 'not a string');
  if (!EBPP_AMOUNT.test(text)) {
    if (/^[0-9]{15,}(\.[0-9]*)?$/.test(text)) throw new MoneyError(form, text, 'more than 14 integer digits');
    // Let the generic parser name the reason (negative, decimals, garbage).
    paiseFromRupeeText(text, form);
    throw new MoneyError(form, text, `does not match ${EBPP_AMOUNT.source}`);
  }
  return paiseFromRupeeText(text, form);
}

/** Paise → EBPP canonical amount, always 2 decimals: `220000n` → "2200.00". */
export function ebppAmountFromPaise(paise: bigint): string {
  const form = 'ebpp-amount';
  assertPaise(paise, form);
  if (paise > EBPP_MAX_PAISE) throw new MoneyError(form, paise, 'more than 14 integer digits');
  return rupeeTextFromPaise(paise, true);
}
