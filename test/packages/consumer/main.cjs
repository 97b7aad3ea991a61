// A plain CommonJS consumer: require() of the ES-module packages (Node 22.12+ loads them synchronously), one call.
const { createEkoClient, fetchEkoBill } = require('@bbps-kit/client');
const { formatRupees } = require('@bbps-kit/money');

const eko = createEkoClient({
  baseUrl: process.argv[2],
  developerKey: 'dev-key-0123456789abcdef',
  accessKey: 'test-access-key-123',
});
fetchEkoBill(eko, {
  initiator_id: '9962981729',
  user_code: '20810200',
  utility_acc_no: '1234567890',
  confirmation_mobile_no: '9999988888',
  sender_name: 'Ramesh Kumar',
  operator_id: '83',
  source_ip: '192.168.1.1',
  latlong: '28.6139,77.2090',
}).then((bill) => {
  console.log(
    JSON.stringify({ billAmountPaise: String(bill.billAmountPaise), formatted: formatRupees(bill.billAmountPaise) }),
  );
});
