// What "the database went away" looks like, and the one error the rest of the biller sees for it. A terminated
// backend, a server that is stopping or stopped, a refused or timed-out connection: each surfaces from `pg` in its
// own shape (an SQLSTATE, a Node socket code, or only a message). The database layer turns every one of them into
// DatabaseUnavailableError, which the HTTP layer answers with 503 in the called contract's envelope: the request
// can be repeated, and nothing half-done was committed.

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(cause: unknown) {
    super(`the database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

// SQLSTATE class 08 (connection exception) and these: the server is shutting down, restarting or refusing
// connections, or has no connection slot left. Statement timeouts (57014) are not here: they are the query's fault.
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// pg reports a lost or never-made connection with an Error that has only a message.
const pgMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];

/** True when `error` says the database could not be reached or dropped the connection, not that a query was wrong. */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') && code.length === 5) return true;
    if (unavailableStates.has(code) || socketCodes.has(code)) return true;
  }
  if (pgMessages.some((pattern) => pattern.test(error.message))) return true;
  // AggregateError from a connect to a host with several addresses (IPv4 and IPv6), each refused.
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  return error.cause !== undefined && error.cause !== error && isConnectionFailure(error.cause);
}
