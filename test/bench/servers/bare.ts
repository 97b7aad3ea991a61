// The framework's ceiling: a bare Hono app on @hono/node-server answering constants, the contract's own
// examples: Kaleidofin's fetchBills seed response and Eko's fetched bill (for the client-overhead measurement).
// No validation, no database, no logging. Prints "listening on <url>" when ready.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { contractExample } from '../dataset.ts';

const fetchBills = await contractExample('kaleidofin-partner', 'fetchBills', 'SeedFetchBillsResponse');
const ekoBill = await contractExample('eko-bbps', 'fetchBill', 'FetchBillSuccess');

const app = new Hono();
app.post('/bills/fetchBills', (c) => c.json(fetchBills));
app.get('/customer/payment/bbps/bill', (c) => c.json(ekoBill));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
