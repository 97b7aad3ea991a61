// A contract's security schemes as its generated rules module gives them (`securitySchemes`), and the one reading
// of them that the clients (which send keys) and the servers (which check them) share.

/** One entry of `components.securitySchemes`: its type and, for an API key, where it is sent and under what name. */
export interface SecurityScheme {
  readonly type: string;
  readonly in?: string;
  readonly name?: string;
}

/**
 * The header each scheme's key travels in, by scheme, in the contract's order. Throws for a scheme that is not an
 * API key sent in a header, so a contract that adopts another kind is refused where the client or server is built.
 */
export function apiKeyHeaders<S extends Readonly<Record<string, SecurityScheme>>>(
  schemes: S,
): { [K in keyof S]: string } {
  return Object.fromEntries(
    Object.entries(schemes).map(([scheme, { type, in: where, name }]) => {
      if (type !== 'apiKey' || where !== 'header' || !name) {
        throw new Error(`scheme ${scheme} is not an API key sent in a header (${type} in ${where})`);
      }
      return [scheme, name];
    }),
  ) as { [K in keyof S]: string };
}
