// @bbps-kit/client: one typed openapi-fetch client per contract, with each vendor's auth, per-request timeouts,
// retries only where a repeat is safe, typed errors, and polling of pending outcomes. See README.md.
export type { Client, HeadersOptions, Middleware } from 'openapi-fetch';
export {
  type CommonClientOptions,
  type OperationRule,
  type OperationRules,
  type RetryRule,
  unwrap,
} from './clients/common.ts';
export {
  createDigiledgeClient,
  type DigiledgeBillFetchRecord,
  type DigiledgeClient,
  type DigiledgeClientOptions,
  type DigiledgeErrorResponse,
  type DigiledgeFetchBillRequest,
  type DigiledgeFetchedBill,
  type DigiledgePayBillInput,
  type DigiledgePayBillRequest,
  type DigiledgePaymentRecord,
  digiledgeOperations,
  payDigiledgeBill,
} from './clients/digiledge.ts';
export {
  createEbppClient,
  type EbppClient,
  type EbppClientOptions,
  type EbppErrorResponse,
  type EbppLookupCustomersRequest,
  type EbppMpaCustomerList,
  type EbppPaths,
  type EbppPayment,
  type EbppRefund,
  ebppFormOperations,
  ebppOperations,
  FORM_CONTENT_TYPE,
  formBodyMiddleware,
  formBodySerializer,
  lookupEbppCustomers,
} from './clients/ebpp.ts';
export {
  createEkoClient,
  type EkoBill,
  type EkoClient,
  type EkoClientOptions,
  type EkoErrorResponse,
  type EkoFetchBillQuery,
  type EkoFetchBillResponse,
  type EkoPayBillInput,
  type EkoPayBillRequest,
  type EkoPayBillResponse,
  type EkoPayment,
  type EkoPaymentState,
  type EkoTransactionResponse,
  ekoOperations,
  ekoSigningMiddleware,
  fetchEkoBill,
  payEkoBill,
} from './clients/eko.ts';
export {
  createKaleidofinCollectClient,
  type KaleidofinBillStatusResponse,
  type KaleidofinCollectClient,
  type KaleidofinCollectClientOptions,
  type KaleidofinCollectErrorResponse,
  type KaleidofinPaymentInput,
  type KaleidofinPaymentRequest,
  kaleidofinCollectOperations,
  postKaleidofinPayment,
} from './clients/kaleidofin-collect.ts';
export {
  createKaleidofinPartnerClient,
  type KaleidofinPartnerClient,
  type KaleidofinPartnerClientOptions,
  type KaleidofinPartnerErrorResponse,
  kaleidofinPartnerOperations,
} from './clients/kaleidofin-partner.ts';
export { ekoRequestHash, ekoSecretKey, ekoTimestamp } from './eko-auth.ts';
export {
  type AnyBbpsClientError,
  BbpsClientError,
  type BbpsClientErrorKind,
  HttpError,
  isBbpsClientError,
  NetworkError,
  OutcomeUnknownError,
  PendingTimeoutError,
  TimeoutError,
} from './errors.ts';
export {
  type DigiledgeState,
  digiledgeBillState,
  digiledgePaymentState,
  type EkoTxState,
  ekoTxState,
} from './outcomes.ts';
export {
  type DigiledgeBillOutcome,
  type DigiledgePaymentOutcome,
  type DigiledgePaymentRef,
  type EkoTransactionOutcome,
  type EkoTransactionRef,
  isOutcomeUnknown,
  type WaitOptions,
  waitForDigiledgeBill,
  waitForDigiledgePayment,
  waitForEkoTransaction,
} from './pending.ts';
export { type PollOptions, pollUntilFinal } from './poll.ts';
export {
  createTransport,
  DEFAULT_RETRY,
  type FetchLike,
  IDEMPOTENT_HEADER,
  type RetryEvent,
  type RetryPolicy,
  type Transport,
  type TransportOptions,
} from './transport.ts';
