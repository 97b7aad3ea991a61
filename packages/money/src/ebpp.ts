// EBPP's amount (`Amount` in specs/ebpp-mpa): the rule is the contract's, read from its generated schema; what
// this module adds is the exact conversion to and from paise.
import { zAmount } from '@bbps-kit/contracts/schemas/ebpp-mpa';
import { assertPaise, paiseFromRupeeText, rupeeTextFromPaise } from './decimal.ts';
import { MoneyError } from './error.ts';

const isEbppAmount = (text: string): boolean => zAmount.safeParse(text).success;

/** The most digits for which `digits(n)` is still an EBPP amount (0 when none is): the schema, asked. */
function widest(digits: (n: number) => string): number {
  let n = 0;
  while (n < 64 && isEbppAmount(digits(n + 1))) n++;
  return n;
}

/** Integer digits an EBPP amount may have (the spec says 14). */
const EBPP_INTEGER_DIGITS = widest((n) => '9'.repeat(n));
// Paise are 2 decimals: with more, an amount could not be carried exactly; with fewer, the canonical form
// written below would not be an EBPP amount. Either way the spec changed under this module: stop at once.
const EBPP_DECIMALS = widest((n) => `0.${'9'.repeat(n)}`);
if (EBPP_INTEGER_DIGITS === 0 || EBPP_DECIMALS !== 2) {
  throw new Error(
    `@bbps-kit/money: the EBPP Amount schema admits ${EBPP_INTEGER_DIGITS} integer digits and ${EBPP_DECIMALS} decimals; paise need 2 decimals`,
  );
}

/** The largest amount an EBPP decimal string can carry: 99999999999999.99 (14 integer digits). */
export const EBPP_MAX_PAISE = 10n ** BigInt(EBPP_INTEGER_DIGITS + 2) - 1n;

const tooManyDigits = `more than ${EBPP_INTEGER_DIGITS} integer digits`;

/** EBPP `amount` / `refund_amount`: the contract's `Amount`, in rupees. */
export function paiseFromEbppAmount(text: string): bigint {
  const form = 'ebpp-amount';
  if (typeof text !== 'string') throw new MoneyError(form, text, 'not a string');
  const checked = zAmount.safeParse(text);
  if (!checked.success) {
    const integer = /^([0-9]+)(\.[0-9]*)?$/.exec(text)?.[1];
    if (integer !== undefined && integer.length > EBPP_INTEGER_DIGITS) throw new MoneyError(form, text, tooManyDigits);
    // Let the generic parser name the reason (negative, decimals, garbage).
    paiseFromRupeeText(text, form);
    throw new MoneyError(form, text, checked.error.issues.map((issue) => issue.message).join('; '));
  }
  return paiseFromRupeeText(text, form);
}

/** Paise → EBPP canonical amount, always 2 decimals: `220000n` → "2200.00". */
export function ebppAmountFromPaise(paise: bigint): string {
  const form = 'ebpp-amount';
  assertPaise(paise, form);
  if (paise > EBPP_MAX_PAISE) throw new MoneyError(form, paise, tooManyDigits);
  return rupeeTextFromPaise(paise, true);
}
