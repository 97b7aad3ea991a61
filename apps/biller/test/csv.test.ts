import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, readCsv } from '../src/import/csv.ts';

async function parse(chunks: string[]) {
  const records = [];
  for await (const record of readCsv(chunks)) records.push(record);
  return records;
}

const quote = (field: string) => (/[",\r\n]/.test(field) || field === '' ? `"${field.replaceAll('"', '""')}"` : field);

describe('readCsv', () => {
  it('reads quoted fields, escaped quotes, embedded line breaks, CRLF and a BOM', async () => {
    const text = '\uFEFFa,b,c\r\n1,"x, ""y""",z\r\n2,"multi\nline",\n\n3,,""\n';
    expect(await parse([text])).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, "y"', 'z'] },
      { line: 3, fields: ['2', 'multi\nline', ''] },
      { line: 6, fields: ['3', '', ''] },
    ]);
  });

  it('numbers records by the line they start on', async () => {
    const records = await parse(['h1,h2\r\n', 'a,"b\nc"\n', '\n', 'd,e']);
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1]?.fields).toEqual(['a', 'b\nc']);
  });

  it('rejects a stray quote and an unclosed quote with the line', async () => {
    await expect(parse(['a,b\nx"y,z\n'])).rejects.toThrow(
      new CsvSyntaxError(2, 'a quote inside an unquoted field (quote the whole field and double the quote)'),
    );
    await expect(parse(['a,b\n"x,z\n'])).rejects.toMatchObject({ line: 2 });
    await expect(parse(['a,b\n"x"y,z\n'])).rejects.toMatchObject({ line: 2 });
  });

  it('reads back whatever a writer quotes, however the stream is cut', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '₹'), maxLength: 8 });
    const record = fc.array(field, { minLength: 2, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(40)),
        async (records, cuts) => {
          const text = records.map((r) => r.map(quote).join(',')).join('\r\n');
          const positions = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let last = 0;
          for (const p of positions) {
            chunks.push(text.slice(last, p));
            last = p;
          }
          chunks.push(text.slice(last));
          const parsed = await parse(chunks);
          expect(parsed.map((r) => r.fields)).toEqual(records);
        },
      ),
      { numRuns: 300 },
    );
  });
});
