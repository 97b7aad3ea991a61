// @bbps-kit/sandbox: stateful in-memory simulators of the contracts this project calls but does not implement
// (Kaleidofin collect, Digiledge, Eko), with scripted outcomes (see README.md), and the demo biller they call.

export { billerDemoKeys, type DemoBiller, startDemoBiller } from './biller/demo.ts';
export {
  type CollectSandbox,
  type CollectSandboxOptions,
  createCollectSandbox,
  defaultCollectApiKey,
  defaultCollectBillerId,
} from './collect/app.ts';
export { CollectLedger } from './collect/ledger.ts';
export { createPartner, defaultPartner, type Partner, type PartnerOptions } from './collect/partner.ts';
export { type CollectScript, collectScriptFor, collectScripts } from './collect/scripts.ts';
export { DELAY_HEADER, MAX_DELAY_MS } from './delay.ts';
export {
  createDigiledgeSandbox,
  type DigiledgeCredentials,
  type DigiledgeSandbox,
  type DigiledgeSandboxOptions,
  defaultDigiledgeCredentials,
} from './digiledge/app.ts';
export { DigiledgeLedger } from './digiledge/ledger.ts';
export { type DigiledgeScript, digiledgeScriptFor, digiledgeScripts } from './digiledge/scripts.ts';
export { createEkoSandbox, defaultEkoCredentials, type EkoSandbox, type EkoSandboxOptions } from './eko/app.ts';
export { EKO_MAX_SKEW_MS, type EkoCredentials } from './eko/auth.ts';
export { EkoLedger } from './eko/ledger.ts';
export { type Script, scriptFor, scripts } from './eko/scripts.ts';
export { listen, type RunningServer } from './server.ts';
