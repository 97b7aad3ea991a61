// Generated types for the five contracts, one namespace per API:
//   import type { EbppMpa } from '@bbps-kit/contracts';
//   type Body = EbppMpa.components['schemas']['PaymentPosting'];   // or EbppMpa.SchemaPaymentPosting
//   const client = createClient<EbppMpa.paths>({ baseUrl });
export type * as DigiledgeAgent from './generated/digiledge-agent.ts';
export type * as EbppMpa from './generated/ebpp-mpa.ts';
export type * as EkoBbps from './generated/eko-bbps.ts';
export type * as KaleidofinCollect from './generated/kaleidofin-collect.ts';
export type * as KaleidofinPartner from './generated/kaleidofin-partner.ts';
