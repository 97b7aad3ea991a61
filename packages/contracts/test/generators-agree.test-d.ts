// The two generators agree: for every component schema of every contract, the type zod infers from the schema
// @hey-api/openapi-ts generated (what a validated value is) equals the type openapi-typescript generated (what the
// rest of the code is written against). A spec construct one of them reads differently shows up here by name.
import { expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type * as DigiledgeAgentZod from '../src/generated/digiledge-agent.zod.ts';
import type * as EbppMpaZod from '../src/generated/ebpp-mpa.zod.ts';
import type * as EkoBbpsZod from '../src/generated/eko-bbps.zod.ts';
import type * as KaleidofinCollectZod from '../src/generated/kaleidofin-collect.zod.ts';
import type * as KaleidofinPartnerZod from '../src/generated/kaleidofin-partner.zod.ts';
import type { DigiledgeAgent, EbppMpa, EkoBbps, KaleidofinCollect, KaleidofinPartner } from '../src/index.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The component names whose two types differ (never when they all agree). */
type Disagreements<Schemas, Zod> = {
  [Name in keyof Schemas & string]: `z${Name}` extends keyof Zod
    ? Zod[`z${Name}`] extends z.ZodType
      ? Equal<z.output<Zod[`z${Name}`]>, Schemas[Name]> extends true
        ? never
        : Name
      : `${Name} (not a zod schema)`
    : `${Name} (no zod schema)`;
}[keyof Schemas & string];

it('kaleidofin-partner', () => {
  expectTypeOf<
    Disagreements<KaleidofinPartner.components['schemas'], typeof KaleidofinPartnerZod>
  >().toEqualTypeOf<never>();
});
it('kaleidofin-collect', () => {
  expectTypeOf<
    Disagreements<KaleidofinCollect.components['schemas'], typeof KaleidofinCollectZod>
  >().toEqualTypeOf<never>();
});
it('digiledge-agent', () => {
  expectTypeOf<Disagreements<DigiledgeAgent.components['schemas'], typeof DigiledgeAgentZod>>().toEqualTypeOf<never>();
});
it('eko-bbps', () => {
  expectTypeOf<Disagreements<EkoBbps.components['schemas'], typeof EkoBbpsZod>>().toEqualTypeOf<never>();
});
it('ebpp-mpa', () => {
  expectTypeOf<Disagreements<EbppMpa.components['schemas'], typeof EbppMpaZod>>().toEqualTypeOf<never>();
});
