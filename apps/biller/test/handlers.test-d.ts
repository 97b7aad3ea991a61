// The biller's routes are the contracts' operations (generated tables), and the compiler holds each contract's
// handlers to them: an operation without a handler, an answer with a status the operation does not declare, or a
// body its schema does not describe, does not compile.

import type { Handlers } from '@bbps-kit/contract-app';
import type { operations as ebpp } from '@bbps-kit/contracts/operations/ebpp-mpa';
import type { operations as kaleidofin } from '@bbps-kit/contracts/operations/kaleidofin-partner';
import { expectTypeOf, it } from 'vitest';

declare const ebppHandlers: Handlers<typeof ebpp>;
declare const kaleidofinHandlers: Handlers<typeof kaleidofin>;

it('needs a handler for every operation of the contract', () => {
  expectTypeOf<keyof Handlers<typeof ebpp>>().toEqualTypeOf<
    'lookupCustomers' | 'postPayment' | 'postPaymentReversal' | 'postPaymentRefund'
  >();
  expectTypeOf<keyof Handlers<typeof kaleidofin>>().toEqualTypeOf<'fetchBills' | 'fetchReceipt'>();
  const { postPaymentRefund: _left, ...withoutRefund } = ebppHandlers;
  // @ts-expect-error postPaymentRefund has no handler
  const incomplete: Handlers<typeof ebpp> = withoutRefund;
  void incomplete;
});

it('lets a handler answer only the statuses and bodies its operation declares', () => {
  const declared: Handlers<typeof kaleidofin>['fetchReceipt'] = (c) =>
    c.json({ success: false, status: 404, error: { code: 'BILL_NOT_FOUND', message: 'No bill' } } as const, 404);
  const undeclared: Handlers<typeof kaleidofin>['fetchReceipt'] = (c) =>
    // @ts-expect-error 418 is not a status fetchReceipt declares
    c.json({ success: false, status: 418, error: { code: 'BILL_NOT_FOUND', message: 'No bill' } } as const, 418);
  const wrongBody: Handlers<typeof kaleidofin>['fetchReceipt'] = (c) =>
    // @ts-expect-error NO_SUCH_CODE is not in the contract's ErrorCode enum
    c.json({ success: false, status: 404, error: { code: 'NO_SUCH_CODE', message: 'No bill' } } as const, 404);
  void [declared, undeclared, wrongBody, kaleidofinHandlers];
});
