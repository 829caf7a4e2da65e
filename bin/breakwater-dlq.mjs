#!/usr/bin/env node
// Breakwater's `npm run dlq`: the @breakwater/dlq command line from its TypeScript source (tsx's loader, a
// development tool) with what the app adds: its event contract, the local cloud's defaults and friendly queue names
// (shared/operator-cli/dlq-cli.ts). Installed, the package's own compiled `breakwater-dlq` bin runs without a loader.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

// The workspace packages resolve to their sources (their `breakwater-source` export condition), as in tsconfig.
const sourceCondition = `export const resolve = (specifier, context, next) =>
  next(specifier, { ...context, conditions: [...context.conditions, 'breakwater-source'] });`;
register(`data:text/javascript,${encodeURIComponent(sourceCondition)}`);
registerTsx();
const { main } = await import('@breakwater/dlq/cli');
const { breakwaterDlqOptions } = await import('../shared/operator-cli/dlq-cli.ts');
await main(breakwaterDlqOptions());
