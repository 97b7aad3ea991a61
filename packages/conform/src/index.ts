// @bbps-kit/conform: the conformance kit as a library (the CLI in cli.ts is a thin layer over it).
export type { Check, CheckResult, Verdict } from './check.ts';
export {
  type ContractName,
  contractNames,
  demoFixturesPath,
  type Fixtures,
  FixturesError,
  loadFixtures,
  parseFixtures,
} from './fixtures.ts';
export type { Exchange } from './http.ts';
export { deriveMutations, type Mutation } from './mutations.ts';
export { writeReports } from './report.ts';
export { type RunOptions, type RunReport, runConform, type Timing, UsageError } from './run.ts';
