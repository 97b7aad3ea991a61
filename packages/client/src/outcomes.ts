// What a vendor's status value means for the payment or fetch it reports. The meanings are the contracts'
// `x-bbps-outcome` tables (specs/eko-bbps TxStatus, specs/digiledge-agent PaymentStatus and BillFetchStatus), which
// `pnpm generate` writes into @bbps-kit/contracts/rules/<api>; this module only reads them. Every state but
// `pending` is final. A value the table does not list, or no value at all, is `pending`: an answer this library
// does not understand must never be taken for a failure (that would invite paying twice).
// Its own module so that both the clients (payEkoBill) and the wait helpers (pending.ts) can import it without
// importing each other.
import { outcomes as digiledgeOutcomes } from '@bbps-kit/contracts/rules/digiledge-agent';
import { outcomes as ekoOutcomes } from '@bbps-kit/contracts/rules/eko-bbps';

/** The states one generated outcome table can give. */
type StateOf<Table> = Table[keyof Table];

/** The table's state for `value`; `pending` for a value it does not list (own keys only: never `toString`…). */
function stateIn<Table extends Readonly<Record<string, string>>>(
  table: Table,
  value: string | undefined,
): StateOf<Table> | 'pending' {
  return value !== undefined && Object.hasOwn(table, value) ? (table[value] as StateOf<Table>) : 'pending';
}

/** Eko `tx_status`. `refund-pending` is final: the payment failed and only the refund is still on its way. */
export type EkoTxState = StateOf<typeof ekoOutcomes.TxStatus> | 'pending';

/** Digiledge payment and bill-fetch states. */
export type DigiledgeState =
  | StateOf<typeof digiledgeOutcomes.PaymentStatus>
  | StateOf<typeof digiledgeOutcomes.BillFetchStatus>
  | 'pending';

/** Eko sends `tx_status` as a string, sometimes as a number; either is read trimmed. */
export function ekoTxState(txStatus: string | number | null | undefined): EkoTxState {
  return stateIn(
    ekoOutcomes.TxStatus,
    txStatus === undefined || txStatus === null ? undefined : String(txStatus).trim(),
  );
}

/** A Digiledge payment record's `status` (null while Digiledge has none). */
export function digiledgePaymentState(status: string | null | undefined): DigiledgeState {
  return stateIn(digiledgeOutcomes.PaymentStatus, status ?? undefined);
}

/** A Digiledge bill fetch's `status`. */
export function digiledgeBillState(status: string | null | undefined): DigiledgeState {
  return stateIn(digiledgeOutcomes.BillFetchStatus, status ?? undefined);
}
