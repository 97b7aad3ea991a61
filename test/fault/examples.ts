// Request bodies for the fault suites, taken from the specs' own examples so they stay valid as the contracts
// evolve; each suite changes only what it must (amounts, bill, ids).
import { type ApiName, Contract } from '@bbps-kit/contracts/validator';

const contracts = new Map<ApiName, Promise<Contract>>();

export function contract(api: ApiName): Promise<Contract> {
  let loaded = contracts.get(api);
  if (!loaded) {
    loaded = Contract.load(api);
    contracts.set(api, loaded);
  }
  return loaded;
}

/** A copy of the `name` example of an operation's JSON request body. */
export async function requestExample(api: ApiName, operationId: string, name: string): Promise<unknown> {
  const spec = await contract(api);
  const examples = spec.operation(operationId).operation.requestBody?.content['application/json']?.examples;
  const example = spec.resolve(examples?.[name]) as { value?: unknown } | undefined;
  if (example?.value === undefined) throw new Error(`${api} ${operationId} has no request example ${name}`);
  return structuredClone(example.value);
}

export type EbppPayment = Record<string, unknown> & {
  id: string;
  amount: string;
  customer: { customer_reference: string } & Record<string, unknown>;
  customer_account: { account_number: string } & Record<string, unknown>;
};

/** The EBPP spec's payment posting example, re-addressed: `id`, amount (rupees string), payer and account. */
export async function ebppPosting(fields: {
  id: string;
  amount: string;
  customerReference: string;
  accountNumber: string;
}): Promise<EbppPayment> {
  const body = (await requestExample('ebpp-mpa', 'postPayment', 'PaymentPostingRequest')) as EbppPayment;
  body.id = fields.id;
  body.amount = fields.amount;
  body.customer.customer_reference = fields.customerReference;
  body.customer_account.account_number = fields.accountNumber;
  return body;
}
