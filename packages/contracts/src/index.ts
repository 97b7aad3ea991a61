// What @bbps-kit/contracts derives from the five contracts (see README.md for the pipeline). Types, one namespace
// per API (openapi-typescript):
//   import type { EbppMpa } from '@bbps-kit/contracts';
//   type Body = EbppMpa.components['schemas']['Payment'];   // or EbppMpa.SchemaPayment
//   const client = createClient<EbppMpa.paths>({ baseUrl });
// Runtime schemas, routes and rules, one module per API: '@bbps-kit/contracts/schemas/<api>' (zod),
// '@bbps-kit/contracts/operations/<api>' (createRoute-shaped routes), '@bbps-kit/contracts/rules/<api>' (retry
// rules, outcome tables, security schemes); '@bbps-kit/contracts/validator' validates with the specs' own JSON Schema.
export { type ApiName, apiNames } from './generated/apis.ts';
export type * as DigiledgeAgent from './generated/digiledge-agent.ts';
export type * as EbppMpa from './generated/ebpp-mpa.ts';
export type * as EkoBbps from './generated/eko-bbps.ts';
export type * as KaleidofinCollect from './generated/kaleidofin-collect.ts';
export type * as KaleidofinPartner from './generated/kaleidofin-partner.ts';
export { apiKeyHeaders, type SecurityScheme } from './security.ts';
