import { describe, expect, it } from 'vitest';
import {
  digiledgeFromPaise,
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

function rejection(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MoneyError) return error;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

describe('MoneyError', () => {
  it('carries the form, the untouched input and the reason', () => {
    const error = rejection(() => paiseFromEbppAmount('12.345'));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MoneyError');
    expect(error.form).toBe('ebpp-amount');
    expect(error.input).toBe('12.345');
    expect(error.reason).toMatch(/decimal places/);
    expect(error.message).toContain('"12.345"');
  });

  it('rejects paise that are not bigints, for JavaScript callers', () => {
    expect(rejection(() => ebppAmountFromPaise(100 as unknown as bigint)).reason).toMatch(/bigint/);
    expect(rejection(() => formatRupees(1 as unknown as bigint)).reason).toMatch(/bigint/);
  });
});

describe('Kaleidofin rupees (JSON number)', () => {
  it.each([
    [0, 0n],
    [1000, 100000n],
    [1200, 120000n],
    [1000.1, 100010n],
    [1000.01, 100001n],
    [0.01, 1n],
    [0.1, 10n],
    [-0, 0n],
    [70071992547409.91, 7007199254740991n],
  ])('%d rupees is %d paise', (n, paise) => {
    expect(paiseFromKaleidofinRupees(n)).toBe(paise);
  });

  it.each([
    [Number.NaN, /finite/],
    [Number.POSITIVE_INFINITY, /finite/],
    [-1, /negative/],
    [-0.01, /negative/],
    [0.1 + 0.2, /decimal places/],
    [1.005, /decimal places/],
    [1e-7, /decimal places/],
    [5e-324, /decimal places/],
    [1e21, /MAX_SAFE_INTEGER/],
    [Number.MAX_VALUE, /MAX_SAFE_INTEGER/],
    [90071992547409.92, /MAX_SAFE_INTEGER/],
    [70368744177664.02, /ambiguous/],
    ['1000' as unknown as number, /not a number/],
  ])('rejects %s', (n, reason) => {
    expect(rejection(() => paiseFromKaleidofinRupees(n)).reason).toMatch(reason);
  });

  it('emits whole rupees and paise as the matching JSON number', () => {
    expect(kaleidofinRupeesFromPaise(100000n)).toBe(1000);
    expect(kaleidofinRupeesFromPaise(100010n)).toBe(1000.1);
    expect(kaleidofinRupeesFromPaise(1n)).toBe(0.01);
    expect(JSON.stringify({ billAmount: kaleidofinRupeesFromPaise(123456n) })).toBe('{"billAmount":1234.56}');
  });

  it('is exact up to the documented limit and refuses what a double cannot carry', () => {
    for (let p = KALEIDOFIN_EXACT_PAISE_LIMIT - 300n; p < KALEIDOFIN_EXACT_PAISE_LIMIT; p++) {
      expect(paiseFromKaleidofinRupees(kaleidofinRupeesFromPaise(p))).toBe(p);
    }
    expect(rejection(() => kaleidofinRupeesFromPaise(KALEIDOFIN_EXACT_PAISE_LIMIT + 1n)).reason).toMatch(/exactly/);
    expect(kaleidofinRupeesFromPaise(BigInt(Number.MAX_SAFE_INTEGER) - 91n)).toBe(90071992547409);
    expect(rejection(() => kaleidofinRupeesFromPaise(2n ** 53n)).reason).toMatch(/MAX_SAFE_INTEGER/);
    expect(rejection(() => kaleidofinRupeesFromPaise(-1n)).reason).toMatch(/negative/);
  });
});

describe('Digiledge paise', () => {
  it.each([
    [0, 0n],
    [0.0, 0n],
    [135000, 135000n],
    ['135000', 135000n],
    ['0.0', 0n],
    ['100.00', 100n],
    ['007', 7n],
    [Number.MAX_SAFE_INTEGER, 9007199254740991n],
    ['9007199254740991', 9007199254740991n],
  ])('%s is %d paise', (value, paise) => {
    expect(paiseFromDigiledge(value)).toBe(paise);
  });

  it.each([
    [12.5, /fraction/],
    ['12.5', /fraction/],
    [-1, /negative/],
    ['-1', /negative/],
    [Number.NaN, /finite/],
    [2 ** 53, /MAX_SAFE_INTEGER/],
    ['9007199254740992', /MAX_SAFE_INTEGER/],
    ['', /integer/],
    [' 1', /integer/],
    ['1e3', /integer/],
    ['0x10', /integer/],
    [null as unknown as string, /number or a string/],
  ])('rejects %s', (value, reason) => {
    expect(rejection(() => paiseFromDigiledge(value)).reason).toMatch(reason);
  });

  it('emits a JSON integer', () => {
    expect(digiledgeFromPaise(135000n)).toBe(135000);
    expect(rejection(() => digiledgeFromPaise(2n ** 53n)).reason).toMatch(/MAX_SAFE_INTEGER/);
    expect(rejection(() => digiledgeFromPaise(-5n)).reason).toMatch(/negative/);
  });
});

describe('Eko', () => {
  it('reads and writes fetch bill_amount in paise', () => {
    expect(paiseFromEkoPaiseString('135000')).toBe(135000n);
    expect(paiseFromEkoPaiseString('0')).toBe(0n);
    expect(paiseFromEkoPaiseString('99999999999999999999999')).toBe(99999999999999999999999n);
    expect(ekoPaiseStringFromPaise(135000n)).toBe('135000');
  });

  it('refuses a decimal paise string instead of guessing it is rupees', () => {
    expect(rejection(() => paiseFromEkoPaiseString('2870.0')).reason).toMatch(/looks like rupees/);
    expect(rejection(() => paiseFromEkoPaiseString('-1')).reason).toMatch(/negative/);
    expect(rejection(() => paiseFromEkoPaiseString('')).reason).toMatch(/integer/);
    expect(rejection(() => paiseFromEkoPaiseString('1,000')).reason).toMatch(/integer/);
    expect(rejection(() => paiseFromEkoPaiseString(1000 as unknown as string)).reason).toMatch(/string/);
  });

  it('reads pay amount in rupees', () => {
    expect(paiseFromEkoRupeeString('1350')).toBe(135000n);
    expect(paiseFromEkoRupeeString('1350.5')).toBe(135050n);
    expect(paiseFromEkoRupeeString('1350.50')).toBe(135050n);
    expect(paiseFromEkoRupeeString('0.01')).toBe(1n);
    expect(rejection(() => paiseFromEkoRupeeString('1350.505')).reason).toMatch(/decimal places/);
    expect(rejection(() => paiseFromEkoRupeeString('1350.')).reason).toMatch(/plain decimal/);
    expect(rejection(() => paiseFromEkoRupeeString('.5')).reason).toMatch(/plain decimal/);
    expect(rejection(() => paiseFromEkoRupeeString('-1350')).reason).toMatch(/negative/);
    expect(rejection(() => paiseFromEkoRupeeString('1e3')).reason).toMatch(/plain decimal/);
  });

  it('writes whole rupees without decimals and anything else with exactly 2', () => {
    expect(ekoRupeeStringFromPaise(135000n)).toBe('1350');
    expect(ekoRupeeStringFromPaise(135050n)).toBe('1350.50');
    expect(ekoRupeeStringFromPaise(135001n)).toBe('1350.01');
    expect(ekoRupeeStringFromPaise(5n)).toBe('0.05');
    expect(ekoRupeeStringFromPaise(0n)).toBe('0');
  });
});

describe('EBPP decimal strings', () => {
  it.each([
    ['2200', 220000n],
    ['2200.0', 220000n],
    ['2200.00', 220000n],
    ['0.5', 50n],
    ['0.05', 5n],
    ['99999999999999.99', 9999999999999999n],
    ['00000000000001', 100n],
  ])('%s is %d paise', (text, paise) => {
    expect(paiseFromEbppAmount(text)).toBe(paise);
  });

  it.each([
    ['100000000000000', /14 integer digits/],
    ['100000000000000.00', /14 integer digits/],
    ['-1.00', /negative/],
    ['1.001', /decimal places/],
    ['', /plain decimal/],
    ['1.', /plain decimal/],
    ['.50', /plain decimal/],
    ['1,000.00', /plain decimal/],
    ['١٢', /plain decimal/],
    ['1e3', /plain decimal/],
    [' 1.00', /plain decimal/],
    ['1.00\n', /plain decimal/],
  ])('rejects %j', (text, reason) => {
    expect(rejection(() => paiseFromEbppAmount(text)).reason).toMatch(reason);
  });

  it('writes the canonical 2-decimal form', () => {
    expect(ebppAmountFromPaise(220000n)).toBe('2200.00');
    expect(ebppAmountFromPaise(0n)).toBe('0.00');
    expect(ebppAmountFromPaise(5n)).toBe('0.05');
    expect(ebppAmountFromPaise(9999999999999999n)).toBe('99999999999999.99');
    expect(rejection(() => ebppAmountFromPaise(10n ** 16n)).reason).toMatch(/14 integer digits/);
    expect(rejection(() => ebppAmountFromPaise(-1n)).reason).toMatch(/negative/);
  });
});

describe('formatRupees', () => {
  it.each([
    [0n, '₹0.00'],
    [5n, '₹0.05'],
    [99999n, '₹999.99'],
    [220000n, '₹2,200.00'],
    [10000000n, '₹1,00,000.00'],
    [1234567890n, '₹1,23,45,678.90'],
    [-220050n, '-₹2,200.50'],
  ])('%d paise reads %s', (paise, text) => {
    expect(formatRupees(paise)).toBe(text);
  });
});
