#!/usr/bin/env node
// Breakwater's `npm run dlq`: the @breakwater/dlq command line from its TypeScript source (tsx's loader, a
// development tool), checking envelopes with Breakwater's event contract. Installed, the package's own compiled
// `breakwater-dlq` bin runs without any loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../packages/dlq/src/cli-entry.ts');
const { checkEventEnvelope } = await import('../shared/contracts/index.ts');
await main({ checkEvent: checkEventEnvelope });
