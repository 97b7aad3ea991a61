// Generated from @bbps-kit/specs/contracts by scripts/generate.mjs. Do not edit.

/** The contracts, in the order the portal lists them. */
export const apiNames = [
  'kaleidofin-partner',
  'kaleidofin-collect',
  'digiledge-agent',
  'eko-bbps',
  'ebpp-mpa'
] as const;

export type ApiName = (typeof apiNames)[number];
