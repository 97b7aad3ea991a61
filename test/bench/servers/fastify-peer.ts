// The peer: fetchBills written by hand the way a lender's team would without bbps-kit. Fastify 5 + pg, the
// biller's own fetchBills statement (recorded from the biller at start, so it never drifts), Fastify's JSON-schema
// body validation against the contract's BillIdentifierList, an x-api-key check in constant time, and Fastify's
// pino request logging (two lines a request, to stdout, as the biller logs). It answers the seed's response shape.
// Env: DATABASE_URL, API_KEY, PROBE_BODY. Prints "listening on <url>" when ready.
import { timingSafeEqual } from 'node:crypto';
import { openPostgres } from '@bbps-kit/biller';
import { Contract } from '@bbps-kit/contracts/validator';
import { kaleidofinRupeesFromPaise } from '@bbps-kit/money';
import Fastify from 'fastify';
import pg from 'pg';
import { recordFetchBills } from '../explain.ts';

const url = process.env.DATABASE_URL as string;
const apiKey = Buffer.from(process.env.API_KEY as string);

// The statement the biller sends for a request by customerId (PROBE_BODY: one of the bench's bodies).
const probe = process.env.PROBE_BODY as string;
const recorder = await openPostgres(url, { max: 1 });
const [statement] = await recordFetchBills(recorder, process.env.API_KEY as string, probe);
await recorder.close();
if (!statement) throw new Error('the biller sent no statement for fetchBills');
const limit = statement.params.at(-1);

// DATE as 'YYYY-MM-DD' text: a JS Date would shift it by the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
const pool = new pg.Pool({ connectionString: url, max: 10 });
// Not strict: the contract's schemas carry OpenAPI's own keywords (example, components) beside JSON Schema's.
const app = Fastify({ logger: true, bodyLimit: 64 * 1024, ajv: { customOptions: { strict: false } } });
const { components } = (await Contract.load('kaleidofin-partner')).document as { components: object };
app.addSchema({ $id: 'kaleidofin-partner', components });

interface Identifier {
  identifierKey: string;
  identifierValue: string;
}
interface BillRow {
  id: string;
  name: string;
  phone: string | null;
  customer_reference: string;
  partner_bill_id: string | null;
  bill_name: string;
  amount_paise: string;
  paid_paise: string;
  generated_on: string;
  due_on: string;
  exactness: string;
}

app.post<{ Body: Identifier[] }>(
  '/bills/fetchBills',
  { schema: { body: { $ref: 'kaleidofin-partner#/components/schemas/BillIdentifierList' } } },
  async (request, reply) => {
    const given = Buffer.from(String(request.headers['x-api-key'] ?? ''));
    if (given.length !== apiKey.length || !timingSafeEqual(given, apiKey)) {
      return reply.code(401).send({ success: false, error: { code: 'UNAUTHORIZED', message: 'Invalid API key' } });
    }
    const customerId = request.body.find((i) => i.identifierKey.toLowerCase() === 'customerid')?.identifierValue;
    const { rows } = await pool.query<BillRow>({
      name: 'fetch-bills',
      text: statement.sql,
      values: [customerId, limit],
    });
    const [first] = rows;
    if (!first) {
      return reply.code(404).send({ success: false, error: { code: 'CUSTOMER_NOT_FOUND', message: 'No customer' } });
    }
    const bills = rows
      .filter((row) => row.partner_bill_id !== null)
      .map((row) => ({
        billName: row.bill_name,
        billAmount: kaleidofinRupeesFromPaise(BigInt(row.amount_paise) - BigInt(row.paid_paise)),
        partnerBillId: row.partner_bill_id,
        dueDate: row.due_on,
        generatedDate: row.generated_on,
        amountExactness: row.exactness,
      }));
    return {
      data: {
        billFetchStatus: bills.length > 0 ? 'AVAILABLE' : 'NO_OUTSTANDING',
        customerBills: { bills },
        customer: {
          info: {
            name: first.name,
            ...(first.phone ? { phoneNumber: first.phone } : {}),
            consumerId: first.customer_reference,
          },
          name: first.name,
        },
      },
      status: 0,
      success: true,
    };
  },
);

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`listening on ${address}`);
