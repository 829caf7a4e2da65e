#!/usr/bin/env node
// `npx breakwater-local`: the command line, compiled to JavaScript (no TypeScript loader at run time).
import { main } from './cli.js';

process.exitCode = await main();
