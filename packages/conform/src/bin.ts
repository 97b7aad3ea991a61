#!/usr/bin/env node
// The `bbps-conform` command of the installed package (and of the workspace, through pnpm's bin link). A file of its
// own so that it runs wherever it is imported from: cli.ts runs itself only when Node names it the main module.
import { runProcess } from './cli.ts';

await runProcess();
