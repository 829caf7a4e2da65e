#!/usr/bin/env node
// Breakwater's `npm run breaker`: the circuits' operator CLI (shared/operator-cli/breaker-cli.ts) over the
// @breakwater/circuit-breaker package, from TypeScript sources through tsx's loader (a development tool).
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

// The workspace packages resolve to their sources (their `breakwater-source` export condition), as in tsconfig.
const sourceCondition = `export const resolve = (specifier, context, next) =>
  next(specifier, { ...context, conditions: [...context.conditions, 'breakwater-source'] });`;
register(`data:text/javascript,${encodeURIComponent(sourceCondition)}`);
registerTsx();
const { main } = await import('../shared/operator-cli/breaker-cli.ts');
await main();
