// Zod schemas for the EBPP MPA contract (specs/ebpp-mpa), field for field, with its anchored patterns. The type
// tests (test/contract-types.test-d.ts) prove they infer exactly the generated contract types.
import { z } from '@hono/zod-openapi';
import { isCalendarDate } from '../dates.ts';

const referenceChars = /^$|^[0-9a-zA-Z #,.'&/\-@!$%*()_+={}|:;`[\]^~\s\\]+$/;
export const CustomerReference = z.string().max(100).regex(referenceChars);
export const AccountNumber = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-zA-Z0-9\-_/!@#$%&*{}.]+$/);
export const Amount = z.string().regex(/^[0-9]{1,14}(\.[0-9][0-9]?)?$/);
// The seed's pattern admits '2025-3-5'; `format: date` does not, so the date must also be a real, padded one.
export const EbppDate = z
  .string()
  .regex(/^[0-9]{4}-(0?[1-9]|1[0-2])-(0?[1-9]|1\d|2\d|3[01])$/)
  .refine(isCalendarDate, { message: 'must be a date YYYY-MM-DD' });
export const EbppId = z
  .string()
  .min(1)
  .max(20)
  .regex(/^[0-9]{1,20}$/);
export const ConfirmationNumber = z
  .string()
  .min(1)
  .max(30)
  .regex(/^[a-zA-Z0-9]{1,30}$/);
export const CurrencyCode3d = z
  .string()
  .min(3)
  .max(3)
  .regex(/^[A-Z]{3}$/);
export const ClientReference = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[0-9a-zA-Z._-]{1,50}$/);
export const PersonName = z.string().min(1).max(100);
export const NotificationEmail = z
  .string()
  .regex(/^[a-zA-Z0-9!#$%&'*+-/=?^._`{|}~]+@[a-zA-Z0-9_.-]+\.[a-zA-Z0-9._]{1,100}$/);
export const Phone = z.string().regex(/^\+?[0-9]{10,15}$/);
export const Comments = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[0-9a-zA-Z #,.'&/\-@!$%*()_+={}|:;`[\]^~\\"\r\n]{1,1000}$/);
export const CustomFields = z.record(z.string(), z.unknown());
const accountReference = z.string().regex(/^[0-9a-zA-Z._-]{1,50}$/);

export const Address = z.object({
  address_line1: z.string().max(100).optional(),
  address_line2: z.string().max(100).optional(),
  address_city: z.string().max(50).optional(),
  address_state: z
    .string()
    .regex(/^[A-Z0-9]{1,3}$/)
    .optional(),
  address_country: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  address_zip1: z
    .string()
    .regex(/^[0-9A-Za-z]{3,10}$/)
    .optional(),
  address_zip2: z
    .string()
    .regex(/^[0-9A-Za-z]{1,10}$/)
    .optional(),
});

// ---- lookup ------------------------------------------------------------------------------------------------

export const LookupCustomersRequest = z
  .object({
    customer_reference: CustomerReference.optional(),
    account_number: AccountNumber.optional(),
    ssn: z
      .string()
      .min(9)
      .max(9)
      .regex(/^[0-9]{9}$/)
      .optional(),
    email: z
      .string()
      .max(100)
      .regex(/^[a-zA-Z0-9!#$%&'*+-/=?^._`{|}~]+@[a-zA-Z0-9_.-]+\.[a-zA-Z0-9._]+$/)
      .optional(),
    lookup_reference: z.string().max(100).regex(referenceChars).optional(),
  })
  .refine((criteria) => Object.keys(criteria).length > 0, {
    message: 'at least one of customer_reference, account_number, ssn, email, lookup_reference is required',
  });

export const AccountStatus = z.enum(['active', 'closed', 'queued_for_repair']);

export const CustomerAccount = z.object({
  account_number: AccountNumber,
  customer_account_reference: accountReference.optional(),
  account_holder_name: z.string().min(1).max(100).optional(),
  nickname: z.string().max(50).optional(),
  address: Address.optional(),
  current_balance: Amount.optional(),
  current_statement_balance: Amount.optional(),
  minimum_payment_due: Amount.optional(),
  past_amount_due: Amount.optional(),
  payment_due_date: EbppDate.optional(),
  statement_date: EbppDate.optional(),
  payoff_amount: Amount.optional(),
  status: AccountStatus,
  custom_fields: CustomFields.optional(),
  comments: Comments.optional(),
});

export const MpaCustomer = z.object({
  customer_reference: CustomerReference,
  first_name: PersonName.optional(),
  middle_name: PersonName.optional(),
  last_name: PersonName.optional(),
  email: NotificationEmail.optional(),
  mobile_phone: Phone.optional(),
  lookup_reference: z.string().max(100).regex(referenceChars).optional(),
  address: Address.optional(),
  custom_fields: CustomFields.optional(),
  customer_accounts: z.array(CustomerAccount).min(1),
});

export const MpaCustomerList = z.object({ customers: z.array(MpaCustomer).min(1) });

// ---- postings ----------------------------------------------------------------------------------------------

export const PostingInfo = z.object({
  posting_date: EbppDate.optional(),
  batch_id: z
    .string()
    .regex(/^[0-9a-zA-Z._-]{1,50}$/)
    .optional(),
  attempt: z.int().min(1).optional(),
});

export const Customer = z.object({
  id: EbppId.optional(),
  customer_reference: CustomerReference,
  first_name: PersonName.optional(),
  last_name: PersonName.optional(),
  email: NotificationEmail.optional(),
  mobile_phone: Phone.optional(),
});

export const PaymentCustomerAccount = z.object({
  id: EbppId.optional(),
  account_number: AccountNumber,
  customer_account_reference: accountReference.optional(),
  account_holder_name: z.string().min(1).max(100).optional(),
  nickname: z.string().max(50).optional(),
});

export const Fee = z.object({
  id: EbppId.optional(),
  fee_type: z.string().max(50).optional(),
  fee_amount: Amount.optional(),
});

export const FundingAccount = z.object({
  id: EbppId.optional(),
  account_type: z.string().max(30).optional(),
  account_subtype: z.string().max(30).optional(),
  account_holder_name: z.string().max(100).optional(),
  account_number: z
    .string()
    .max(34)
    .regex(/^[*Xx]+[0-9A-Za-z]{0,4}$/)
    .optional(),
  issuer_name: z.string().max(100).optional(),
  aba_routing_number: z
    .string()
    .regex(/^([0-9]{9}|[A-Z]{4}0[A-Z0-9]{6})$/)
    .optional(),
  expiry_date: z
    .string()
    .regex(/^(0[1-9]|1[0-2])\/[0-9]{2}$/)
    .optional(),
});

export const PaymentNetworkResponse = z.object({
  payment_auth_code: z.string().max(20).optional(),
  payment_response_code: z.string().max(20).optional(),
  payment_response_msg: z.string().max(255).optional(),
});

export const PaymentAmountType = z.enum([
  'current_balance',
  'minimum_payment_due',
  'past_payment_due',
  'statement_balance',
  'discounted_amount',
  'penalty_amount',
  'other',
  'payoff_amount',
  'paydown_amount',
]);
export const PaymentMethod = z.enum([
  'ach',
  'check',
  'visa_debit',
  'pinless_debit',
  'master_debit',
  'amex_credit',
  'discover_credit',
  'visa_credit',
  'master_credit',
  'discover_debit',
  'cash',
  'swiped_card',
  'scanned_check',
  'external_pos',
  'apple_pay',
  'google_pay',
  'voyager_fleet',
]);
export const PaymentScheduleType = z.enum([
  'one_time_payment',
  'autopay_generated_payment',
  'variable_recurring_generated_payment',
  'payment_plan_generated',
]);
export const PaymentStatus = z.enum([
  'scheduled',
  'cancelled',
  'processing',
  'processed',
  'returned',
  'declined',
  'disputed',
  'error',
]);

export const Payment = z.object({
  posting_info: PostingInfo.optional(),
  amount: Amount,
  card_cvv_number: z
    .string()
    .regex(/^[0-9]{3,4}$/)
    .optional(),
  confirmation_number: ConfirmationNumber,
  currency_code3d: CurrencyCode3d,
  custom_fields: CustomFields,
  customer: Customer,
  customer_account: PaymentCustomerAccount,
  expected_payment_settlement_date: EbppDate.optional(),
  fee: Fee.optional(),
  funding_account: FundingAccount,
  id: EbppId,
  payment_amount_type: PaymentAmountType.optional(),
  payment_date: EbppDate,
  payment_entry_date: EbppDate.optional(),
  payment_method: PaymentMethod,
  payment_network_response: PaymentNetworkResponse,
  payment_reference: ClientReference.optional(),
  payment_request_date: EbppDate.optional(),
  payment_return_date: EbppDate.optional(),
  payment_schedule_type: PaymentScheduleType,
  return_code: z
    .string()
    .min(1)
    .max(10)
    .regex(/^[a-z0-9]{1,10}$/)
    .optional(),
  status: PaymentStatus,
  payment_notification_email: NotificationEmail.optional(),
  comments: Comments.optional(),
  token: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[0-9a-zA-Z._-]{1,64}$/)
    .optional(),
  url: z.string().optional(),
});

export const PostedPayment = z.object({
  id: EbppId,
  confirmation_number: ConfirmationNumber,
  payment_reference: ClientReference,
  status: PaymentStatus,
  amount: Amount.optional(),
  currency_code3d: CurrencyCode3d.optional(),
  account_number: AccountNumber.optional(),
  posting_date: EbppDate.optional(),
});

export const RefundType = z.enum(['payment_and_fee', 'payment_only', 'fee_only', 'other']);
export const RefundStatus = z.enum([
  'scheduled',
  'cancelled',
  'processing',
  'processed',
  'declined',
  'returned',
  'disputed',
  'error',
]);

export const FeeRefund = z.object({
  fee_refund_amount: Amount.optional(),
  fee_type: z.string().max(50).optional(),
});

export const SourcePayment = z.object({
  id: EbppId,
  confirmation_number: ConfirmationNumber.optional(),
  payment_reference: ClientReference.optional(),
  amount: Amount.optional(),
  currency_code3d: CurrencyCode3d.optional(),
  payment_date: EbppDate.optional(),
  payment_method: PaymentMethod.optional(),
  customer: Customer.optional(),
  customer_account: PaymentCustomerAccount.optional(),
  funding_account: FundingAccount.optional(),
});

export const Refund = z.object({
  posting_info: PostingInfo.optional(),
  refund_reference: ClientReference.optional(),
  id: EbppId,
  url: z.string().optional(),
  refund_type: RefundType.optional(),
  refund_amount: Amount.optional(),
  fee_refund: FeeRefund.optional(),
  status: RefundStatus,
  confirmation_number: ConfirmationNumber,
  refund_date: EbppDate.optional(),
  refund_entry_date: EbppDate.optional(),
  expected_refund_settlement_date: EbppDate.optional(),
  source_payment: SourcePayment,
  payment_network_response: PaymentNetworkResponse.optional(),
  custom_fields: CustomFields.optional(),
  comments: Comments.optional(),
});

export const PostedRefund = z.object({
  id: EbppId,
  confirmation_number: ConfirmationNumber,
  refund_reference: ClientReference,
  payment_reference: ClientReference.optional(),
  status: RefundStatus,
  refund_amount: Amount.optional(),
  posting_date: EbppDate.optional(),
});

// ---- errors and headers ------------------------------------------------------------------------------------

export const ErrorCode = z.enum([
  'error_field',
  'error_posting_rejected',
  'error_account_closed',
  'error_account_status_invalid',
  'error_payment_amount_low',
  'error_payment_amount_high',
  'error_duplicate_posting',
  'error_member_warning',
  'error_account_warning',
  'error_refund_initiate',
]);

export const ErrorResponse = z.object({
  errors: z
    .array(
      z.object({
        code: ErrorCode,
        message: z.string().min(1).max(500),
        field: z.string().min(1).max(100).optional(),
      }),
    )
    .min(1),
});

export const ClientKeyHeader = z.object({
  'client-key': z
    .string()
    .max(50)
    .regex(/^[a-zA-Z0-9_-]{1,50}$/),
});
