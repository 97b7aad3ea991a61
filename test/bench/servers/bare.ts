// The framework's ceiling: a bare Hono app on @hono/node-server answering constants, the contract's own
// examples: Kaleidofin's fetchBills seed response and Eko's fetched bill (for the client-overhead measurement).
// No validation, no database, no logging. Prints "listening on <url>" when ready.
//
// With DATABASE_URL set it is the floor of any database-backed route instead: fetchBills first reads the
// requested customer's row by its unique key, one prepared statement over the same `pg` pool the biller uses,
// and then answers the same constant. The gap between the two is what one PostgreSQL round trip costs.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { contractExample } from '../dataset.ts';

const fetchBills = await contractExample('kaleidofin-partner', 'fetchBills', 'SeedFetchBillsResponse');
const ekoBill = await contractExample('eko-bbps', 'fetchBill', 'FetchBillSuccess');
const pool = process.env.DATABASE_URL ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : null;

const app = new Hono();
app.post('/bills/fetchBills', async (c) => {
  if (pool) {
    // The bench bodies are the seed's shape: [{name}, {customerId}].
    const body = (await c.req.json()) as { identifierValue: string }[];
    await pool.query({
      name: 'customer',
      text: 'SELECT id, name FROM customers WHERE customer_reference = $1',
      values: [body[1]?.identifierValue],
    });
  }
  return c.json(fetchBills);
});
app.get('/customer/payment/bbps/bill', (c) => c.json(ekoBill));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
