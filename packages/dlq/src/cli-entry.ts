/** `@breakwater/dlq/cli`: the `breakwater-dlq` command line, to embed it in a bin or a script of your own. */

export { type CliIo, exitCodeFor, type MainOptions, main, runCli } from './cli.js';
export { ExitCodes } from './cli-help.js';
