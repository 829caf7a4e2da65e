/**
 * The one zod import of code that runs in a function: zod's mini build, whose functional API (`z.optional(s)`,
 * `s.check(z.minLength(1))`) lets esbuild drop every schema type and check a bundle does not use — about 23 KB
 * against 90 KB for the classic `import * as z from 'zod'` (and 444 KB for `import { z } from 'zod'`). See
 * `bench/bundle-size.bench.ts`.
 *
 * zod/mini ships no locale, so its issues would all read "Invalid input": English messages are registered here,
 * once, before any schema parses (every module of `shared/` and `functions/` imports zod through this file).
 */
import { config } from 'zod/mini';
// The English locale module alone: `zod/locales` would load every locale where nothing bundles (tests, CLIs).
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
