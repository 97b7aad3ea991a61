// Writes a synthetic book as import CSV, for load tests and benchmarks:
//   node scripts/generate-book.ts <customers> <bills per customer> > book.csv
// Every fifth account has a co-borrower (an extra row with no bill). Deterministic: same arguments, same file.
import { csvColumns } from '../src/import/book-csv.ts';

const customers = Number(process.argv[2] ?? 1000);
const billsEach = Number(process.argv[3] ?? 10);
const out = process.stdout;
let buffer = `${csvColumns.join(',')}\n`;
const write = async (text: string) => {
  buffer += text;
  if (buffer.length > 1 << 20) {
    if (!out.write(buffer)) await new Promise((resolve) => out.once('drain', resolve));
    buffer = '';
  }
};
const pad = (n: number, width: number) => String(n).padStart(width, '0');
for (let c = 1; c <= customers; c++) {
  const ref = `CUST${pad(c, 7)}`;
  const account = `LN-${pad(c, 7)}`;
  const phone = `9${pad(c, 9)}`;
  for (let b = 1; b <= billsEach; b++) {
    const month = ((b - 1) % 12) + 1;
    const year = 2020 + Math.floor((b - 1) / 12);
    const amount = `${1000 + ((c * 7 + b * 13) % 9000)}.${pad((c + b) % 100, 2)}`;
    await write(
      `${ref},Customer ${c},${phone},,,,${account},active,,primary,,,${account}-${pad(b, 3)},Instalment ${b},${amount},` +
        `${year}-${pad(month, 2)}-01,${year}-${pad(month, 2)}-15,EXACT\n`,
    );
  }
  if (c % 5 === 0) await write(`CO${pad(c, 7)},Co-borrower ${c},,,,,${account},,,co_borrower,,,,,,,,\n`);
}
out.write(buffer);
