// @bbps-kit/sandbox: stateful in-memory simulators of the contracts this project calls but does not implement,
// with scripted outcomes (see README.md). So far: Eko (eko-bbps).

export { DELAY_HEADER, MAX_DELAY_MS } from './delay.ts';
export { createEkoSandbox, defaultEkoCredentials, type EkoSandbox, type EkoSandboxOptions } from './eko/app.ts';
export { EKO_MAX_SKEW_MS, type EkoCredentials } from './eko/auth.ts';
export { EkoLedger } from './eko/ledger.ts';
export { type Script, scriptFor, scripts } from './eko/scripts.ts';
export { listen, type RunningServer } from './server.ts';
