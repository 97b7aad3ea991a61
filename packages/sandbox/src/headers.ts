// The credential headers the sandbox's table of URLs and keys names, by the names each contract's security schemes
// give them (the rules modules carry no schemas, so loading them costs the start nothing).

import { securitySchemes as digiledge } from '@bbps-kit/contracts/rules/digiledge-agent';
import { securitySchemes as ebpp } from '@bbps-kit/contracts/rules/ebpp-mpa';
import { securitySchemes as eko } from '@bbps-kit/contracts/rules/eko-bbps';
import { securitySchemes as collect } from '@bbps-kit/contracts/rules/kaleidofin-collect';
import { securitySchemes as partner } from '@bbps-kit/contracts/rules/kaleidofin-partner';

export const credentialHeaders = {
  collect: collect.kaleidofinApiKey.name,
  digiledge: digiledge.DigiledgeApiKey.name,
  ekoDeveloperKey: eko.EkoDeveloperKey.name,
  partner: partner.partnerApiKey.name,
  ebppClientKey: ebpp.clientKey.name,
  ebppApiKey: ebpp.apiKey.name,
};
