import { describe, expect, it } from 'vitest';
import { ekoRequestHash, ekoSecretKey, ekoTimestamp } from '../src/eko-auth.ts';

// Vectors from /work/shared/reference/bbps-facts.md (independently recomputed there).
describe('ekoSecretKey', () => {
  it.each([
    ['test-access-key-123', '1700000000000', '88lqTf9ew69XbVbeczjxVL8/B4vibfp1MvTi1mIj2Xo='],
    ['d2fe1d99-6298-4af2-8cc5-d97dcf46df30', '1700000000000', 'qIir8tILHtqxO1Mu3/fC3pVElIa0oIxXMRDUP0463Bc='],
  ])('access key %s at %s signs as %s', (accessKey, timestamp, expected) => {
    expect(ekoSecretKey(accessKey, timestamp)).toBe(expected);
    expect(ekoSecretKey(accessKey, Number(timestamp))).toBe(expected);
  });

  it('changes with the timestamp', () => {
    expect(ekoSecretKey('test-access-key-123', 1700000000001)).not.toBe('88lqTf9ew69XbVbeczjxVL8/B4vibfp1MvTi1mIj2Xo=');
  });
});

describe('ekoRequestHash', () => {
  it('reproduces the pay-bill vector', () => {
    expect(
      ekoRequestHash('d2fe1d99-6298-4af2-8cc5-d97dcf46df30', '1700000000000', '1234567890', '1350', '20810200'),
    ).toBe('5zfrJS+zS5D/ERn1A7BJb4jzzCaHKP9fBpbEDptrjsU=');
    expect(
      ekoRequestHash('d2fe1d99-6298-4af2-8cc5-d97dcf46df30', 1700000000000, '1234567890', '1350', '20810200'),
    ).toBe('5zfrJS+zS5D/ERn1A7BJb4jzzCaHKP9fBpbEDptrjsU=');
  });

  it('is sensitive to the amount text', () => {
    expect(
      ekoRequestHash('d2fe1d99-6298-4af2-8cc5-d97dcf46df30', '1700000000000', '1234567890', '1350.00', '20810200'),
    ).not.toBe('5zfrJS+zS5D/ERn1A7BJb4jzzCaHKP9fBpbEDptrjsU=');
  });
});

describe('ekoTimestamp', () => {
  it('is whole milliseconds as decimal text', () => {
    expect(ekoTimestamp(() => 1700000000000.7)).toBe('1700000000000');
  });
});
