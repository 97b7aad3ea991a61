// Zod schemas for the Kaleidofin partner contract (specs/kaleidofin-partner), field for field. The type tests
// (test/contract-types.test-d.ts) prove they infer exactly the generated contract types.
import { z } from '@hono/zod-openapi';

export const BillIdentifier = z.object({
  identifierKey: z.string().min(1).max(50),
  identifierValue: z.string().min(1).max(100),
});
export const BillIdentifierList = z.array(BillIdentifier).min(1);

export const AmountExactness = z.enum(['EXACT', 'EXACT_UP', 'EXACT_DOWN', 'ANY', 'RANGE']);
export const BillFetchStatus = z.enum(['AVAILABLE', 'NO_OUTSTANDING', 'NOT_SUPPORTED']);

export const Bill = z.object({
  billName: z.string().min(1).max(100),
  billAmount: z.number().min(0),
  partnerBillId: z.string().min(1).max(50),
  dueDate: z.string(),
  generatedDate: z.string(),
  amountExactness: AmountExactness,
});

export const CustomerInfo = z.object({
  name: z.string().min(1).max(100),
  phoneNumber: z
    .string()
    .regex(/^[0-9]{10}$/)
    .optional(),
  consumerId: z.string().min(1).max(100),
});

export const FetchBillsResponse = z.object({
  data: z.object({
    billFetchStatus: BillFetchStatus,
    customerBills: z.object({ bills: z.array(Bill) }),
    customer: z.object({ info: CustomerInfo, name: z.string().min(1).max(100) }),
  }),
  status: z.literal(0),
  success: z.literal(true),
});

export const PaymentDetails = z.object({
  billAmount: z.number().min(0),
  amountPaid: z.number().gt(0),
  transactionId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/),
});

export const BillPaymentAcknowledgement = z.object({
  systemBillId: z.int().min(1),
  partnerBillId: z.string().min(1).max(50),
  paymentDetails: PaymentDetails,
});

export const FetchReceiptResponse = z.object({
  data: z.object({ receipt: z.object({ date: z.string(), id: z.string().min(1).max(50) }) }),
  status: z.literal(0),
  success: z.literal(true),
});

export const ErrorCode = z.enum([
  'INVALID_REQUEST',
  'UNAUTHORIZED',
  'CUSTOMER_NOT_FOUND',
  'BILL_NOT_FOUND',
  'AMOUNT_EXACTNESS_VIOLATED',
  'BILL_ALREADY_PAID',
  'DUPLICATE_TRANSACTION_MISMATCH',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL_ERROR',
]);

export const ErrorResponse = z.object({
  success: z.literal(false),
  status: z.int().min(1),
  error: z.object({
    code: ErrorCode,
    message: z.string().min(1).max(500),
    field: z.string().min(1).max(200).optional(),
  }),
});
