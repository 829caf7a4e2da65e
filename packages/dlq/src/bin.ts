#!/usr/bin/env node
// `npx breakwater-dlq`: the command line, compiled to JavaScript (no TypeScript loader at run time).
import { main } from './cli.js';

await main();
