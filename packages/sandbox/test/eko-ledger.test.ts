// The Eko simulator's memory of fetched bills is bounded: the oldest fetch is forgotten first, never the seed's.
import { describe, expect, it } from 'vitest';
import { loadEkoSeed } from '../src/eko/app.ts';
import { EkoLedger, MAX_REMEMBERED_BILLS } from '../src/eko/ledger.ts';

describe('EkoLedger', () => {
  it(`remembers at most ${MAX_REMEMBERED_BILLS} fetched bills, forgetting the oldest first and never the seed's`, async () => {
    const seed = await loadEkoSeed();
    const ledger = new EkoLedger(seed);
    const tokenOf = (account: string) =>
      ledger.fetchBill({ utility_acc_no: account, sender_name: 'x' }, Date.now()).data?.billfetchresponse as string;
    const pay = (account: string, token: string) => ({
      ...seed.payRequest,
      utility_acc_no: account,
      billfetchresponse: token,
    });
    const first = tokenOf('ACC-FIRST');
    const second = tokenOf('ACC-SECOND');
    for (let i = 0; i < MAX_REMEMBERED_BILLS - 3; i++) tokenOf(`ACC-${i}-X`);
    // Now full (the seed's bill is one of them): the next fetch forgets the first, and only it.
    expect(ledger.checkBillToken(pay('ACC-FIRST', first))).toBeUndefined();
    tokenOf('ACC-NEXT');
    expect(ledger.checkBillToken(pay('ACC-FIRST', first))).toMatch(/not a token/);
    expect(ledger.checkBillToken(pay('ACC-SECOND', second))).toBeUndefined();
    expect(ledger.checkBillToken(seed.payRequest)).toBeUndefined();
  });
});
