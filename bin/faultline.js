#!/usr/bin/env node
// Launcher: the CLI is compiled to dist/ by `npm install` (the prepare script).
// Signals are latched before the rest of the CLI loads (see src/cli/signals.ts).
import { installSignalLatch } from '../dist/cli/signals.js';

installSignalLatch();
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
