/** The wire form (or internal unit) a rejected value was headed to or coming from. */
export type MoneyForm =
  | 'paise'
  | 'kaleidofin-rupees'
  | 'digiledge-paise'
  | 'eko-paise-string'
  | 'eko-rupee-string'
  | 'ebpp-amount';

/**
 * Thrown for every amount that cannot be represented exactly in the target form. Money code never rounds:
 * an amount it cannot carry exactly is a bug or a hostile input, and both must stop the payment.
 */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';
  readonly form: MoneyForm;
  /** The offending value, untouched. */
  readonly input: unknown;
  /** Why it was rejected, in words a support engineer can act on. */
  readonly reason: string;

  constructor(form: MoneyForm, input: unknown, reason: string) {
    super(`${form}: ${reason} (input: ${describe(input)})`);
    this.form = form;
    this.input = input;
    this.reason = reason;
  }
}

function describe(input: unknown): string {
  if (typeof input === 'bigint') return `${input}n`;
  if (typeof input === 'string') return JSON.stringify(input.length > 64 ? `${input.slice(0, 64)}…` : input);
  if (typeof input === 'number') return Object.is(input, -0) ? '-0' : String(input);
  if (input === null || input === undefined) return String(input);
  return typeof input;
}
