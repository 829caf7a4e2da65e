/**
 * The documented exit codes of `breakwater-dlq`.
 *
 * @example
 * ```ts
 * import { ExitCodes, runCli } from '@breakwater/dlq/cli';
 *
 * const code = await runCli(['peek', 'billing-dlq'], { stdout: process.stdout, stderr: process.stderr });
 * if (code === ExitCodes.queueNotFound) console.error('check the name and the region');
 * ```
 */
export const ExitCodes = {
  ok: 0,
  someFailed: 1,
  usage: 2,
  queueNotFound: 3,
  permissionDenied: 4,
  interrupted: 130,
} as const;

/** The `--help` text: usage, selection, replay semantics, exit codes. */
export const HELP = `breakwater-dlq — inspect and replay dead-letter queues

Usage
  breakwater-dlq list [--pattern <glob>] [--prefix <p>] [--queue <q>]... [--no-peek] [--json]
  breakwater-dlq peek <queue> [--max <n>] [--full] [--json]
  breakwater-dlq replay <queue> [selection] [--dry-run] [--keep] [--keep-reason] [--max <n>] [--rate <msgs/s>]
                        [--to <queue>] [--via-bus [--bus <name>]] [--native] [--report <file>] [--json]

<queue> is a queue URL, ARN or physical name (a bin built on runCli may add friendly names: Breakwater's takes
stack-output names such as BillingDlq and breakwater:source tags). DLQs are found by redrive policies and the tag
breakwater:role=dlq.

Selection (all given criteria must hold; repeat a flag for alternatives)
  --type <event type>        e.g. order.created
  --since <time>, --until <time>   SentTimestamp window: ISO time, epoch ms, or 30m / 2h / 7d ago
  --error-code <code>        EventBridge ERROR_CODE attribute
  --where <path>=<value>     JSON body predicate, e.g. detail.data.currency=EUR (also !=)
  --ids <id,id,...>          SQS message ids or domain event ids

Replay
  Destination: the source queue (redrive policy, or the message's DeadLetterQueueSourceArn); for EventBridge
  target DLQs the target named by TARGET_ARN (SQS queue: SendMessage; Lambda: async Invoke); --to <queue>
  overrides; --via-bus re-puts each event on its bus (RULE_ARN's bus or --bus): every rule on the bus sees it
  again, not only the one that failed.
  --dry-run      report what would be replayed; send and delete nothing
  --keep         copy: send, but leave the messages in the DLQ
  --keep-reason  keep the failure reason a consumer attached (breakwater.failure.* attributes); by default a
                 replayed message starts fresh without it (--native always keeps every attribute)
  --max <n>      replay at most n messages          --rate <n>   at most n msgs/s (backs off on throttling)
  --native       SQS StartMessageMoveTask: everything, no selection, <= 500 msgs/s, new message ids
  --report <f>   write the JSON report there (default dlq-reports/dlq-replay-<queue>-<time>.json; --json prints it)
  --concurrency <n>  parallel workers (default 10)

Messages are deleted from the DLQ only after their send succeeded, never sent twice in a run, and malformed or
unselected ones stay. Ctrl-C stops cleanly (sends under way settle, held messages become visible, the report is
written); run the same command again to continue. Consumers are idempotent on the domain event id, so even a
crash between a send and its delete causes no second effect.

Connection: --region <r>, --endpoint-url <url> (or AWS_REGION, AWS_ENDPOINT_URL, AWS_PROFILE as usual). With a
loopback endpoint (the local cloud) the region defaults to us-east-1 and, when none are set, dummy credentials.

Exit codes (as breakwater-breaker's): 0 ok · 1 some messages failed (or an unexpected error) · 2 bad usage or
            configuration (no command, no region, no credentials) · 3 queue not found · 4 permission denied ·
            130 interrupted
`;
