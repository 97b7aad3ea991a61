// Constant-time key checks, part 2 of 2: the real keyChecker (no spies here, so nothing but the check is
// timed), measured. Why the bound is generous and the strict proof lives in constant-time.test.ts: a
// statistical test of a few microseconds on a shared 2-core CI machine (other test files run in parallel)
// would flake at any tight threshold. So each variant's time is the median of 41 interleaved batches (load
// and GC hit every variant alike), the medians must lie within 1.5x of each other (best of three rounds), and
// the numbers are printed. That bound still catches a gross regression such as comparing long keys with ===:
// the positive control at the end measures exactly that and is printed beside them.
import * as crypto from 'node:crypto';
import { keyChecker } from '@bbps-kit/contract-app';
import { describe, expect, it } from 'vitest';

describe('timing, measured', () => {
  /** Median nanoseconds per call of each variant, over interleaved batches (so load hits all variants alike). */
  function measure(variants: Record<string, () => unknown>, batches = 41, perBatch = 400): Record<string, number> {
    const names = Object.keys(variants);
    const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (const fn of Object.values(variants)) for (let i = 0; i < 2000; i++) fn(); // warm-up
    for (let b = 0; b < batches; b++) {
      // Rotate the order each batch, so no variant always runs first (or right after a GC).
      for (let j = 0; j < names.length; j++) {
        const name = names[(b + j) % names.length] as string;
        const fn = variants[name] as () => unknown;
        const start = process.hrtime.bigint();
        for (let i = 0; i < perBatch; i++) fn();
        samples[name]?.push(Number(process.hrtime.bigint() - start) / perBatch);
      }
    }
    return Object.fromEntries(
      names.map((n) => {
        const sorted = [...(samples[n] as number[])].sort((x, y) => x - y);
        return [n, sorted[Math.floor(sorted.length / 2)] as number];
      }),
    );
  }
  const spread = (medians: Record<string, number>) =>
    Math.max(...Object.values(medians)) / Math.min(...Object.values(medians));
  const show = (title: string, medians: Record<string, number>) =>
    console.log(
      `[security timing] ${title}: ${Object.entries(medians)
        .map(([n, ns]) => `${n} ${ns.toFixed(0)} ns`)
        .join(', ')} (max/min ${spread(medians).toFixed(2)})`,
    );

  it('a guess with the right prefix, a wrong first character, or a length one off takes the same time', () => {
    const real = 'k'.repeat(8) + crypto.randomBytes(16).toString('hex');
    const check = keyChecker([real, `${real}-other`]);
    const flip = (c: string) => (c === 'a' ? 'b' : 'a');
    const variants = {
      'right key': () => check(real),
      'all but the last character right': () => check(real.slice(0, -1) + flip(real.at(-1) as string)),
      'first character wrong': () => check(flip(real[0] as string) + real.slice(1)),
      'one character short': () => check(real.slice(0, -1)),
      'one character long': () => check(`${real}k`),
    };
    let medians = measure(variants);
    for (let round = 1; round < 3 && spread(medians) >= 1.5; round++) medians = measure(variants);
    show('same-length and near-length guesses', medians);
    expect(spread(medians)).toBeLessThan(1.5);
  });

  it('the configured key’s length does not show: an 8-character and a 10 KB secret cost a guess the same', () => {
    const guess = crypto.randomBytes(16).toString('hex');
    const short = keyChecker(['s'.repeat(8)]);
    const long = keyChecker(['s'.repeat(10 * 1024)]);
    const variants = { '8-character secret': () => short(guess), '10 KB secret': () => long(guess) };
    let medians = measure(variants);
    for (let round = 1; round < 3 && spread(medians) >= 1.5; round++) medians = measure(variants);
    show('secret length', medians);
    expect(spread(medians)).toBeLessThan(1.5);
  });

  it('positive control (printed only): === on 10 KB strings differing first vs last shows a leak', () => {
    const base = 'x'.repeat(10 * 1024);
    const secretText = `${base}!`;
    // Built at run time so V8 cannot share or intern them.
    const early = () => `y${base.slice(1)}!`;
    const late = () => `${base}?`;
    const a = early();
    const b = late();
    let sink = false;
    const medians = measure({
      'differs at the first character': () => (sink = a === secretText),
      'differs at the last': () => (sink = b === secretText),
    });
    show('naive === (for comparison)', medians);
    expect(sink).toBe(false);
  });
});
