// A streaming RFC 4180 reader: quoted fields, "" inside quotes, commas and line breaks inside quotes, CRLF or
// LF line ends, a UTF-8 byte-order mark. It yields records as they complete, so a file of any size is read in
// constant memory.

export interface CsvRecord {
  /** Line on which the record starts (1 = the header), as a spreadsheet numbers rows. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

export async function* readCsv(
  chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
): AsyncGenerator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  // After a closing quote only a separator, a line end or another quote (an escaped quote) may follow.
  let afterQuote = false;
  let line = 1;
  let recordLine = 1;
  let first = true;
  let pendingCr = false;

  const endRecord = function* (): Generator<CsvRecord> {
    fields.push(field);
    // A blank line (one empty field) is not a record.
    if (!(fields.length === 1 && fields[0] === '')) yield { line: recordLine, fields };
    fields = [];
    field = '';
  };

  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (pendingCr) {
        pendingCr = false;
        if (text[i] === '\n') {
          i++;
          continue;
        }
      }
      if (inQuotes) {
        const quote = text.indexOf('"', i);
        if (quote === -1) {
          const rest = text.slice(i);
          line += countLines(rest);
          field += rest;
          i = n;
          break;
        }
        const part = text.slice(i, quote);
        line += countLines(part);
        field += part;
        i = quote + 1;
        inQuotes = false;
        afterQuote = true;
        continue;
      }
      const c = text[i] as string;
      if (c === ',') {
        fields.push(field);
        field = '';
        afterQuote = false;
        i++;
      } else if (c === '\n' || c === '\r') {
        yield* endRecord();
        afterQuote = false;
        line++;
        recordLine = line;
        pendingCr = c === '\r';
        i++;
      } else if (c === '"') {
        if (afterQuote) {
          field += '"';
          inQuotes = true;
          afterQuote = false;
        } else if (field === '') {
          inQuotes = true;
        } else {
          throw new CsvSyntaxError(
            line,
            'a quote inside an unquoted field (quote the whole field and double the quote)',
          );
        }
        i++;
      } else {
        if (afterQuote) throw new CsvSyntaxError(line, 'text after a closing quote');
        // Take the run of ordinary characters in one slice.
        let j = i + 1;
        while (j < n) {
          const d = text[j];
          if (d === ',' || d === '\n' || d === '\r' || d === '"') break;
          j++;
        }
        field += text.slice(i, j);
        i = j;
      }
    }
  }
  if (inQuotes) throw new CsvSyntaxError(recordLine, 'a quoted field is never closed');
  yield* endRecord();
}

function countLines(text: string): number {
  let count = 0;
  for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) count++;
  return count;
}
