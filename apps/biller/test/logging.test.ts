// Log lines: one JSON object each, bigints as digit strings, and written in batches, urgent ones at once.
import { describe, expect, it } from 'vitest';
import { batchedLines, createLogger } from '../src/logging.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('logging', () => {
  it('writes one JSON object a line, with bigints as digit strings', () => {
    const lines: string[] = [];
    const logger = createLogger((line) => lines.push(line));
    logger.log('info', 'plain', { n: 1 });
    logger.log('warn', 'money', { paise: 2n ** 63n - 1n, nested: { id: 7n } });
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { level: 'info', msg: 'plain', n: 1 },
      { level: 'warn', msg: 'money', paise: '9223372036854775807', nested: { id: '7' } },
    ]);
  });

  it('batches the lines of one event-loop turn into one write, and writes an urgent line at once', async () => {
    const writes: string[] = [];
    const out = batchedLines((text) => writes.push(text));
    out.line('a', false);
    out.line('b', false);
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\n']);
    out.line('c', false);
    out.line('boom', true);
    expect(writes).toEqual(['a\nb\n', 'c\nboom\n']);
    out.line('d', false);
    out.flush();
    expect(writes.at(-1)).toBe('d\n');
    await nextTurn();
    expect(writes).toHaveLength(3);
  });
});
