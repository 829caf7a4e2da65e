#!/usr/bin/env node
// Entry of `npx breakwater-breaker`: registers tsx's loader so the TypeScript CLI runs as is, without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../shared/circuit-breaker/cli.ts');
await main();
