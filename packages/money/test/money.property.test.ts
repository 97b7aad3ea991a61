import { Contract } from '@bbps-kit/contracts/validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  digiledgeFromPaise,
  EBPP_MAX_PAISE,
  ebppAmountFromPaise,
  ekoPaiseStringFromPaise,
  ekoRupeeStringFromPaise,
  formatRupees,
  KALEIDOFIN_EXACT_PAISE_LIMIT,
  kaleidofinRupeesFromPaise,
  MoneyError,
  paiseFromDigiledge,
  paiseFromEbppAmount,
  paiseFromEkoPaiseString,
  paiseFromEkoRupeeString,
  paiseFromKaleidofinRupees,
} from '../src/index.ts';

const [ebpp, eko] = await Promise.all([Contract.load('ebpp-mpa'), Contract.load('eko-bbps')]);

/** The bundled spec's parts these tests read. */
function spec(document: unknown) {
  return document as {
    components: {
      schemas: { Amount: { pattern: string }; PayBillRequest: { properties: { amount: { pattern: string } } } };
    };
  };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Small amounts matter most in practice; the full range catches the boundaries. */
function paise(max: bigint): fc.Arbitrary<bigint> {
  return fc.oneof(fc.bigInt({ min: 0n, max: 1_000_000_00n }), fc.bigInt({ min: 0n, max }), fc.constantFrom(0n, max));
}

const negativePaise = fc.bigInt({ min: -(10n ** 20n), max: -1n });

function throwsMoneyError(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    if (error instanceof MoneyError) return true;
    throw error;
  }
}

/** Independent oracle: canonical EBPP text by plain string manipulation. */
function canonicalDecimal(text: string): string {
  const [whole = '', fraction = ''] = text.split('.');
  return `${BigInt(whole)}.${fraction.padEnd(2, '0')}`;
}

describe('Kaleidofin rupees', () => {
  it('paise → number → paise is exact below the limit', () => {
    fc.assert(
      fc.property(paise(KALEIDOFIN_EXACT_PAISE_LIMIT - 1n), (p) => {
        expect(paiseFromKaleidofinRupees(kaleidofinRupeesFromPaise(p))).toBe(p);
      }),
    );
  });

  it('below the limit the number is the one the decimal text reads as (the fast path divides by 100)', () => {
    fc.assert(
      fc.property(paise(KALEIDOFIN_EXACT_PAISE_LIMIT - 1n), (p) => {
        const text = `${p / 100n}.${String(p % 100n).padStart(2, '0')}`;
        expect(kaleidofinRupeesFromPaise(p)).toBe(Number(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('paise → number either round-trips exactly or throws, up to MAX_SAFE_INTEGER', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: KALEIDOFIN_EXACT_PAISE_LIMIT, max: MAX_SAFE }), (p) => {
        let n: number;
        try {
          n = kaleidofinRupeesFromPaise(p);
        } catch (error) {
          expect(error).toBeInstanceOf(MoneyError);
          return;
        }
        expect(paiseFromKaleidofinRupees(n)).toBe(p);
      }),
    );
  });

  it('any double: accepted numbers read back to the same number; everything else is a MoneyError', () => {
    fc.assert(
      fc.property(fc.double(), (n) => {
        let p: bigint;
        try {
          p = paiseFromKaleidofinRupees(n);
        } catch (error) {
          expect(error).toBeInstanceOf(MoneyError);
          return;
        }
        expect(p <= MAX_SAFE).toBe(true);
        expect(kaleidofinRupeesFromPaise(p)).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it('agrees with a toFixed oracle for everyday magnitudes', () => {
    const cents = fc.integer({ min: 0, max: 10 ** 12 }).map((c) => c / 100);
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0, max: 1e10, noNaN: true }), cents), (n) => {
        const fixed = n.toFixed(2);
        const exact = Number(fixed) === n;
        expect(throwsMoneyError(() => paiseFromKaleidofinRupees(n))).toBe(!exact);
        if (exact) expect(paiseFromKaleidofinRupees(n)).toBe(BigInt(fixed.replace('.', '')));
      }),
    );
  });

  it('rejects a third decimal, negatives and non-finite numbers', () => {
    const threeDecimals = fc
      .tuple(fc.integer({ min: 0, max: 10 ** 11 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 9 }))
      .map(([r, c, m]) => Number(`${r}.${String(c).padStart(2, '0')}${m}`));
    const bad = fc.oneof(
      threeDecimals,
      fc.double({ max: -Number.MIN_VALUE }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    );
    fc.assert(fc.property(bad, (n) => throwsMoneyError(() => paiseFromKaleidofinRupees(n))));
  });

  it('rejects negative and oversized paise', () => {
    const bad = fc.oneof(negativePaise, fc.bigInt({ min: MAX_SAFE + 1n, max: 10n ** 30n }));
    fc.assert(fc.property(bad, (p) => throwsMoneyError(() => kaleidofinRupeesFromPaise(p))));
  });
});

describe('Digiledge paise', () => {
  it('paise → integer → paise is exact over the whole safe range', () => {
    fc.assert(
      fc.property(paise(MAX_SAFE), (p) => {
        const wire = digiledgeFromPaise(p);
        expect(Number.isSafeInteger(wire)).toBe(true);
        expect(paiseFromDigiledge(wire)).toBe(p);
        expect(paiseFromDigiledge(String(wire))).toBe(p);
      }),
    );
  });

  it('wire → paise → wire is canonical', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(digiledgeFromPaise(paiseFromDigiledge(n))).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,15}(\.0{1,3})?$/), (text) => {
        expect(digiledgeFromPaise(paiseFromDigiledge(text))).toBe(Number(text.split('.')[0]));
      }),
    );
  });

  it('rejects fractions, negatives, oversized values and garbage', () => {
    const bad = fc.oneof(
      fc.double().filter((n) => !Number.isSafeInteger(n) || n < 0),
      fc.string().filter((s) => !/^[0-9]+(\.0+)?$/.test(s) || BigInt(s.split('.')[0] ?? '') > MAX_SAFE),
      fc.stringMatching(/^[0-9]{1,6}\.[0-9]*[1-9][0-9]*$/),
    );
    fc.assert(fc.property(bad, (v) => throwsMoneyError(() => paiseFromDigiledge(v))));
    const badPaise = fc.oneof(negativePaise, fc.bigInt({ min: MAX_SAFE + 1n, max: 10n ** 30n }));
    fc.assert(fc.property(badPaise, (p) => throwsMoneyError(() => digiledgeFromPaise(p))));
  });
});

describe('Eko', () => {
  it('paise → paise string → paise is exact for any size', () => {
    fc.assert(
      fc.property(paise(10n ** 30n), (p) => {
        expect(paiseFromEkoPaiseString(ekoPaiseStringFromPaise(p))).toBe(p);
      }),
    );
  });

  it('paise string → paise → paise string drops only leading zeros', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,25}$/), (text) => {
        expect(ekoPaiseStringFromPaise(paiseFromEkoPaiseString(text))).toBe(BigInt(text).toString());
      }),
    );
  });

  it('paise → rupee string → paise is exact; whole rupees print without decimals, as the pay request needs', () => {
    // What is written must be a valid Pay BBPS Bill `amount` (the reader is laxer: see eko.ts).
    const payAmount = new RegExp(spec(eko.document).components.schemas.PayBillRequest.properties.amount.pattern, 'u');
    fc.assert(
      fc.property(paise(10n ** 30n), (p) => {
        const wire = ekoRupeeStringFromPaise(p);
        expect(wire).toMatch(p % 100n === 0n ? /^[0-9]+$/ : /^[0-9]+\.[0-9]{2}$/);
        expect(wire).toMatch(payAmount);
        expect(paiseFromEkoRupeeString(wire)).toBe(p);
      }),
    );
  });

  it('rupee string → paise → rupee string is the canonical form', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,20}(\.[0-9]{1,2})?$/), (text) => {
        const canonical = canonicalDecimal(text).replace(/\.00$/, '');
        expect(ekoRupeeStringFromPaise(paiseFromEkoRupeeString(text))).toBe(canonical);
      }),
    );
  });

  it('rejects garbage, negatives and sub-paisa amounts', () => {
    const badRupees = fc.oneof(
      fc.string().filter((s) => !/^[0-9]+(\.[0-9]{1,2})?$/.test(s)),
      fc.stringMatching(/^[0-9]{1,6}\.[0-9]{3,6}$/),
    );
    fc.assert(fc.property(badRupees, (s) => throwsMoneyError(() => paiseFromEkoRupeeString(s))));
    const badPaise = fc.string().filter((s) => !/^[0-9]+$/.test(s));
    fc.assert(fc.property(badPaise, (s) => throwsMoneyError(() => paiseFromEkoPaiseString(s))));
    fc.assert(
      fc.property(negativePaise, (p) => {
        expect(throwsMoneyError(() => ekoPaiseStringFromPaise(p))).toBe(true);
        expect(throwsMoneyError(() => ekoRupeeStringFromPaise(p))).toBe(true);
      }),
    );
  });
});

describe('EBPP decimal strings', () => {
  // The rule under test is the contract's: its pattern, read from the bundled spec, not a copy of it.
  const amountPattern = new RegExp(spec(ebpp.document).components.schemas.Amount.pattern, 'u');
  const integerDigits = EBPP_MAX_PAISE.toString().length - 2;
  const ebppText = fc.stringMatching(amountPattern);

  it('paise → amount → paise is exact over the whole range, and the amount is valid by the spec', () => {
    fc.assert(
      fc.property(paise(EBPP_MAX_PAISE), (p) => {
        const wire = ebppAmountFromPaise(p);
        expect(wire).toMatch(/^[0-9]+\.[0-9]{2}$/);
        expect(ebpp.schema('Amount', wire)).toMatchObject({ valid: true });
        expect(paiseFromEbppAmount(wire)).toBe(p);
      }),
    );
  });

  it('EBPP_MAX_PAISE is the largest amount the spec admits', () => {
    expect(amountPattern.test(ebppAmountFromPaise(EBPP_MAX_PAISE))).toBe(true);
    expect(amountPattern.test(`1${'0'.repeat(integerDigits)}`)).toBe(false);
  });

  it('amount → paise → amount is canonical (2 decimals, no leading zeros)', () => {
    fc.assert(
      fc.property(ebppText, (text) => {
        expect(ebppAmountFromPaise(paiseFromEbppAmount(text))).toBe(canonicalDecimal(text));
      }),
    );
  });

  it('rejects everything outside the pattern', () => {
    const bad = fc.oneof(
      fc.string().filter((s) => !amountPattern.test(s)),
      fc.stringMatching(new RegExp(`^[1-9][0-9]{${integerDigits},${integerDigits + 6}}(\\.[0-9]{1,2})?$`)),
      fc.stringMatching(new RegExp(`^[0-9]{1,${integerDigits}}\\.[0-9]{3,5}$`)),
      ebppText.map((s) => `-${s}`),
    );
    fc.assert(fc.property(bad, (s) => throwsMoneyError(() => paiseFromEbppAmount(s))));
    const badPaise = fc.oneof(negativePaise, fc.bigInt({ min: EBPP_MAX_PAISE + 1n, max: 10n ** 30n }));
    fc.assert(fc.property(badPaise, (p) => throwsMoneyError(() => ebppAmountFromPaise(p))));
  });
});

describe('formatRupees', () => {
  it('keeps every digit and groups the Indian way', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (p) => {
        const text = formatRupees(p);
        expect(text).toMatch(/^-?₹(?:[0-9]{1,2},)?(?:[0-9]{2},)*[0-9]{1,3}\.[0-9]{2}$/);
        const digits = text.replace(/[₹,.]/g, '');
        expect(BigInt(digits)).toBe(p);
      }),
    );
  });
});
