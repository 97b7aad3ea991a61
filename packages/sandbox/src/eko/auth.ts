// Eko's request signing, checked as Eko checks it (specs/eko-bbps "Authentication", the facts page): the three
// headers must be present and `developer_key` known (else 401); the headers must have their declared formats (else
// 400 naming the header); `secret-key` must be the HMAC of `secret-key-timestamp` under the configured access key
// and the timestamp within ±5 minutes of the sandbox's clock (else 403). The HMAC is the client package's own
// `ekoSecretKey`, so the sandbox and the client cannot drift apart; keys are compared in constant time.
import { ekoSecretKey } from '@bbps-kit/client';
import { keyChecker, signatureMatches } from '@bbps-kit/contract-app';
import { apiKeyHeaders } from '@bbps-kit/contracts';
import { securitySchemes } from '@bbps-kit/contracts/rules/eko-bbps';
import { zFetchBillHeaders } from '@bbps-kit/contracts/schemas/eko-bbps';
import { invalidFields } from '../issues.ts';
import type { EkoProblem } from './envelope.ts';

// The three headers, by the names the contract's security schemes give them.
const {
  EkoDeveloperKey: keyHeader,
  EkoSecretKey: signatureHeader,
  EkoSecretKeyTimestamp: timestampHeader,
} = apiKeyHeaders(securitySchemes);

/** How far `secret-key-timestamp` may be from the sandbox's clock, either way. */
export const EKO_MAX_SKEW_MS = 5 * 60 * 1000;

export interface EkoCredentials {
  developerKey: string;
  accessKey: string;
}

/** Eko's check of a request's signing headers, for one set of credentials: the problem to answer, or undefined. */
export type EkoSignatureCheck = (header: (name: string) => string | undefined, now: number) => EkoProblem | undefined;

export function ekoSignatureCheck(credentials: EkoCredentials): EkoSignatureCheck {
  const developerKeyMatches = keyChecker([credentials.developerKey]);
  return (header, now) => {
    const developerKey = header(keyHeader);
    const secretKey = header(signatureHeader);
    const timestamp = header(timestampHeader);
    const missing = [
      [keyHeader, developerKey],
      [signatureHeader, secretKey],
      [timestampHeader, timestamp],
    ]
      .filter(([, value]) => !value)
      .map(([name]) => name);
    if (missing.length > 0) {
      return {
        kind: 'unauthorized',
        header: missing.join(', '),
        message: `Unauthorized. Missing header(s): ${missing.join(', ')}`,
      };
    }
    if (!developerKeyMatches(developerKey)) {
      return {
        kind: 'unauthorized',
        header: keyHeader,
        message: `Unauthorized. Missing or invalid ${keyHeader}`,
      };
    }
    const signed = signatureMatches(secretKey as string, ekoSecretKey(credentials.accessKey, timestamp as string));
    const skew = Number(timestamp) - now;
    // A good signature in time goes on: the route's own header schema still answers 400 for a header of the wrong
    // format, so the formats are only checked here when the answer would otherwise be 403.
    if (signed && Math.abs(skew) <= EKO_MAX_SKEW_MS) return undefined;
    // The header schemas are the same on every operation; the fetch one stands for all.
    const headers = { [keyHeader]: developerKey, [signatureHeader]: secretKey, [timestampHeader]: timestamp };
    const parsed = zFetchBillHeaders.safeParse(headers);
    if (!parsed.success) return { kind: 'invalid', fields: invalidFields(parsed.error.issues, headers) };
    if (!signed) {
      return {
        kind: 'forbidden',
        message: `Forbidden. ${signatureHeader} does not match ${timestampHeader} under your access key`,
      };
    }
    return {
      kind: 'forbidden',
      message: `Forbidden. ${timestampHeader} is ${Math.round(skew / 1000)} s from Eko's clock (at most ±${EKO_MAX_SKEW_MS / 1000} s)`,
    };
  };
}
