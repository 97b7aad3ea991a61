// The five contracts, in the order the portal lists them. One list so the portal builder, its test and
// any server that serves the portal agree on names and on who sits on which side of each contract.

/** @typedef {{ api: string, vendor: string, implementedBy: string, calledBy: string }} Contract */

/** @type {readonly Contract[]} */
export const contracts = Object.freeze(
  [
    {
      api: 'kaleidofin-partner',
      vendor: 'Kaleidofin',
      implementedBy: 'the biller (apps/biller)',
      calledBy: 'Kaleidofin',
    },
    {
      api: 'kaleidofin-collect',
      vendor: 'Kaleidofin',
      implementedBy: 'Kaleidofin',
      calledBy: 'the operating unit',
    },
    {
      api: 'digiledge-agent',
      vendor: 'Digiledge',
      implementedBy: 'Digiledge',
      calledBy: 'agent institutions',
    },
    {
      api: 'eko-bbps',
      vendor: 'Eko',
      implementedBy: 'Eko',
      calledBy: 'agent/retailer platforms',
    },
    {
      api: 'ebpp-mpa',
      vendor: 'EBPP (Orbipay)',
      implementedBy: 'the biller (apps/biller)',
      calledBy: 'EBPP',
    },
  ].map((contract) => Object.freeze(contract)),
);

export const apiNames = contracts.map((contract) => contract.api);
