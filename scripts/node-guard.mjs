// Every script must run on the Node 24 that the root `node` devDependency installs into
// node_modules/.bin: Prism 5.16 needs >= 24.18 and vitest 5 >= 22.12. If an older Node is
// running, pnpm did not run the `node` package's install script (see pnpm-workspace.yaml).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 24 || (major === 24 && minor < 18)) {
  console.error(
    `bbps-kit needs Node >= 24.18 but this script runs on Node ${process.versions.node} (${process.execPath}).\n` +
      'Run `npm run setup` at the repository root: it installs Node 24 from the npm registry into node_modules/.bin.\n' +
      'If it is still old, check that `node` is listed under onlyBuiltDependencies in pnpm-workspace.yaml.',
  );
  process.exit(1);
}
