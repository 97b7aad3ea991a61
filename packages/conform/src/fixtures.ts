// The fixtures file: the biller's own test data, as BBPS onboarding asks a biller to name it. The kit reads and
// pays only what is named here (bills marked `pay`, accounts marked `pay`/`reverse`/`refund`), so a biller can point
// it at a staging ledger holding real-looking data. One zod schema per contract; every problem is reported at once,
// each naming the entry (`customers[0].bills[1].exactness`).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { zAmount } from '@bbps-kit/contracts/schemas/ebpp-mpa';
import { z } from 'zod';

export type ContractName = 'kaleidofin-partner' | 'ebpp-mpa';
export const contractNames: readonly ContractName[] = ['kaleidofin-partner', 'ebpp-mpa'];

const rupees = z
  .number()
  .positive()
  .refine((n) => Math.round(n * 100) === n * 100, 'at most 2 decimals');
// EBPP amounts in the fixtures follow the contract's own Amount rule (a decimal string in rupees, e.g. "100.00").
const ebppAmount = zAmount;
const identifier = z.object({ identifierKey: z.string().min(1), identifierValue: z.string().min(1) }).strict();

export const kaleidofinFixtures = z
  .object({
    contract: z.literal('kaleidofin-partner'),
    /** Headers that authenticate the kit, e.g. `{"x-api-key": "..."}`. */
    credentials: z.record(z.string().min(1), z.string().min(1)),
    customers: z
      .array(
        z
          .object({
            name: z.string().min(1),
            /** Each identifier list must find this customer with fetchBills. */
            identifiers: z.array(z.array(identifier).min(1)).min(1),
            bills: z.array(
              z
                .object({
                  partnerBillId: z.string().min(1),
                  /** What the bill owes before the run, in rupees. */
                  amount: rupees,
                  exactness: z.enum(['EXACT', 'EXACT_UP', 'EXACT_DOWN', 'ANY']),
                  /** May the kit pay this bill (it pays it in full, once)? */
                  pay: z.boolean(),
                })
                .strict(),
            ),
          })
          .strict(),
      )
      .min(1),
    /** Identifiers that match no customer. */
    missingCustomer: z.array(identifier).min(1),
    /** A partnerBillId that is no bill. */
    missingBillId: z.string().min(1).max(50),
  })
  .strict();

export const ebppFixtures = z
  .object({
    contract: z.literal('ebpp-mpa'),
    /** Headers that authenticate the kit, e.g. `{"client-key": "...", "api-key": "..."}`. */
    credentials: z.record(z.string().min(1), z.string().min(1)),
    customers: z
      .array(
        z
          .object({
            customerReference: z.string().min(1),
            accounts: z
              .array(
                z
                  .object({
                    accountNumber: z.string().min(1),
                    /** current_balance before the run. */
                    balance: ebppAmount,
                    /** May the kit post payments to it (each later reversed or refunded when allowed)? */
                    pay: z.boolean(),
                    reverse: z.boolean(),
                    refund: z.boolean(),
                    /** The amount of each payment the kit posts (default 100.00). */
                    paymentAmount: ebppAmount.optional(),
                    /**
                     * The smallest and largest payment the account takes before the run (error_payment_amount_low /
                     * _high outside them). The kit pays each limit only where it may reverse or refund it again.
                     */
                    limits: z
                      .object({ minimum: ebppAmount.optional(), maximum: ebppAmount.optional() })
                      .strict()
                      .refine(
                        (l) => l.minimum !== undefined || l.maximum !== undefined,
                        'name a minimum, a maximum or both',
                      )
                      .optional(),
                  })
                  .strict(),
              )
              .min(1),
          })
          .strict(),
      )
      .min(1),
    closedAccount: z.object({ customerReference: z.string().min(1), accountNumber: z.string().min(1) }).strict(),
    missingCustomerReference: z.string().min(1),
    missingAccountNumber: z.string().min(1),
  })
  .strict();

export type KaleidofinFixtures = z.infer<typeof kaleidofinFixtures>;
export type EbppFixtures = z.infer<typeof ebppFixtures>;
export type Fixtures = KaleidofinFixtures | EbppFixtures;

export class FixturesError extends Error {}

export function demoFixturesPath(contract: ContractName): string {
  return fileURLToPath(new URL(`../fixtures/demo.${contract}.json`, import.meta.url));
}

/** Parses and validates; throws FixturesError listing every bad entry by its path. */
export function parseFixtures(contract: ContractName, value: unknown, source = 'fixtures'): Fixtures {
  const schema = contract === 'kaleidofin-partner' ? kaleidofinFixtures : ebppFixtures;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
    throw new FixturesError(`${source} is not a valid ${contract} fixtures file:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export async function loadFixtures(contract: ContractName, file: string): Promise<Fixtures> {
  const path = file === 'demo' ? demoFixturesPath(contract) : file;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FixturesError(`cannot read fixtures ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FixturesError(`fixtures ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseFixtures(contract, value, path);
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
