// Decimal text <-> paise with string and bigint arithmetic only. Internal to this package.
import { MoneyError, type MoneyForm } from './error.ts';

const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;

export const MAX_SAFE_PAISE = BigInt(Number.MAX_SAFE_INTEGER);

/** Splits canonical-or-not decimal text (digits, optional point and digits) into paise. */
export function paiseFromRupeeText(text: string, form: MoneyForm, input: unknown = text): bigint {
  const match = DECIMAL.exec(text);
  if (match === null) {
    const reason = text.startsWith('-') ? 'negative amount' : 'not a plain decimal number';
    throw new MoneyError(form, input, reason);
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > 2) throw new MoneyError(form, input, 'more than 2 decimal places (sub-paisa amount)');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** `1350.5` → "1350.50"; `fixedDecimals: false` prints whole rupees without a fraction ("1350"). */
export function rupeeTextFromPaise(paise: bigint, fixedDecimals: boolean): string {
  const whole = paise / 100n;
  const cents = paise % 100n;
  if (!fixedDecimals && cents === 0n) return whole.toString();
  return `${whole}.${cents.toString().padStart(2, '0')}`;
}

export function assertPaise(paise: unknown, form: MoneyForm): asserts paise is bigint {
  if (typeof paise !== 'bigint') throw new MoneyError(form, paise, 'paise must be a bigint');
  if (paise < 0n) throw new MoneyError(form, paise, 'negative amount');
}

/**
 * The shortest round-trip text of a finite non-negative number (what `String(n)` gives) without exponent:
 * `1e-7` → "0.0000001", `1.5e+21` → "1500000000000000000000".
 */
export function plainTextFromNumber(n: number): string {
  const text = String(n);
  const match = /^([0-9]+)(?:\.([0-9]+))?e([+-][0-9]+)$/.exec(text);
  if (match === null) return text;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const digits = `${whole}${fraction}`;
  const point = whole.length + Number(match[3]);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${digits}${'0'.repeat(point - digits.length)}`;
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
