import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DlqSummary, replayDlq } from '@breakwater/dlq';
import { FaultsClient } from '@breakwater/local-cloud';
import { SignedOrdersClient } from './orders-client';
import {
  type ChaosProfile,
  type ChaosProfileName,
  EVERY_PLANE,
  POISON_MARK,
  PROFILES,
  SCENARIOS,
  type Scenario,
  type ScenarioContext,
} from './scenarios';
import { type ChaosTarget, FINAL_STATUSES, SourcesOfTruth } from './sources';

/** What one scenario did to the system, as the sources of truth tell it. */
export interface ScenarioReport {
  readonly scenario: string;
  readonly posted: number;
  /** Answered 201 (or 200, a replay) within the driver's retries. */
  readonly accepted: number;
  readonly paid: number;
  readonly paymentFailed: number;
  /** Accepted (or in the table) and not final after settling and replaying. */
  readonly stuck: number;
  /** Stuck, and in no DLQ and not in the outbox: gone without a trace. */
  readonly lost: number;
  /** Purchases (one posted order, one customer) charged more than once by the gateway, over one order or several. */
  readonly doubleCharges: number;
  /** Orders beyond the first that one posted order (one Idempotency-Key) created. */
  readonly duplicateOrders: number;
  /** PAID without a charge, or PAYMENT_FAILED with one. */
  readonly inconsistent: number;
  /** In the orders table but never answered to the driver (the answer was lost, the order was not). */
  readonly unanswered: number;
  /** Unicode orders whose customer or item did not read back as sent. */
  readonly mangled: number;
  readonly notificationsSent: number;
  readonly notificationsExpected: number;
  readonly dlqBefore: number;
  readonly dlqAfter: number;
  /** From the first order posted to the last one answered (or given up). */
  readonly postMs: number;
  readonly settleMs: number;
  /** Fault rules fired during the scenario. */
  readonly faultHits: number;
}

/** The whole run. */
export interface ChaosReport {
  readonly profile: ChaosProfileName;
  readonly scenarios: readonly ScenarioReport[];
  readonly ordersTotal: number;
  readonly lost: number;
  readonly doubleCharges: number;
  readonly durationMs: number;
}

/** Options of {@link runChaos}. */
export interface RunChaosOptions {
  readonly target: ChaosTarget;
  readonly profile: ChaosProfileName | ChaosProfile;
  /** Only these scenarios of the profile. Default all. */
  readonly only?: readonly string[];
  readonly log?: (line: string) => void;
  /** Called with each scenario's report as it completes (a run cut short can still print what it has). */
  readonly onScenario?: (report: ScenarioReport) => void;
}

interface Posted {
  readonly index: number;
  readonly customerId: string;
  readonly sku: string;
  orderId?: string;
  status: number;
  attempts: number;
}

/** POST attempts per order: a saturated API (4 workers per function locally) may answer late for a while. */
const MAX_ATTEMPTS = 20;
/**
 * Requests the driver has open at once, as a client's connection pool: past it, orders wait on the client's side.
 * Without a cap, a saturated local API queues requests whose callers already gave up, and answers none in time.
 */
const MAX_REQUESTS_IN_FLIGHT = 32;
/** DLQ replays per scenario at most, and the pause before another: longer than the consumers' 30 s timeout. */
const REPLAY_ROUNDS = 3;
const REPLAY_PAUSE_MS = 35_000;

/** A counting semaphore: at most `size` calls of `run` at once, the others wait in order. */
class RequestSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  public constructor(private readonly size: number) {}

  public async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await call();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }
}

const total = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);

/**
 * Posts `count` orders at `ratePerSecond`, each with its own Idempotency-Key, retried with the same key and body on
 * 5xx, 409, 429 and network errors (as a careful client does) up to 20 times (backing off to 5 s), with at most
 * `MAX_REQUESTS_IN_FLIGHT` requests open. Resolves when every order has an
 * answer or gave up.
 */
const postOrders = async (
  api: SignedOrdersClient,
  {
    prefix,
    count,
    ratePerSecond,
    unicode,
  }: { prefix: string; count: number; ratePerSecond: number; unicode: boolean },
  onSecond: (second: number, posted: readonly Posted[]) => Promise<void>,
): Promise<Posted[]> => {
  const posted: Posted[] = [];
  const inFlight: Promise<void>[] = [];
  const slots = new RequestSlots(MAX_REQUESTS_IN_FLIGHT);
  const started = Date.now();
  let second = 0;
  for (let index = 0; index < count; index += 1) {
    const due = started + (index * 1000) / ratePerSecond;
    while (Date.now() < due) {
      const elapsed = Math.floor((Date.now() - started) / 1000);
      if (elapsed > second) {
        second = elapsed;
        await onSecond(second, posted);
      }
      await sleep(Math.min(50, Math.max(1, due - Date.now())));
    }
    const order: Posted = {
      index,
      customerId: unicode ? `${prefix}${index}-${EVERY_PLANE}` : `${prefix}${index}`,
      sku: unicode ? `sku-${EVERY_PLANE}` : `sku-${index % 17}`,
      status: 0,
      attempts: 0,
    };
    posted.push(order);
    const key = randomUUID();
    const body = {
      customerId: order.customerId,
      currency: 'EUR',
      items: [{ sku: order.sku, quantity: 1 + (index % 3), unitPriceCents: 500 + (index % 400) }],
    };
    inFlight.push(
      (async () => {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
          order.attempts = attempt;
          const answer = await slots.run(() =>
            api.request('POST', '/orders', body, { 'idempotency-key': key }),
          );
          order.status = answer.status;
          if (answer.status === 201 || answer.status === 200) {
            order.orderId = (answer.body as { orderId?: string }).orderId;
            return;
          }
          const retryable =
            answer.status === 0 || answer.status >= 500 || answer.status === 409 || answer.status === 429;
          if (!retryable) return;
          await sleep(Math.min(5_000, 100 * 2 ** attempt));
        }
      })(),
    );
  }
  await Promise.all(inFlight);
  return posted;
};

/**
 * Waits until every order is final, or nothing moves any more (the source queues are empty and no order changed for
 * a few polls), or the bound passes. Returns the statuses last read.
 */
const settle = async (
  sources: SourcesOfTruth,
  orderIds: readonly string[],
  sourceQueues: readonly string[],
  timeoutMs: number,
  progress: (line: string) => void,
): Promise<Map<string, { status: string; customerId: string }>> => {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let quietPolls = 0;
  let lastPending = -1;
  let lastSaid = started;
  for (;;) {
    const statuses = await sources.statuses(orderIds);
    const pending = orderIds.filter((id) => !FINAL_STATUSES.has(statuses.get(id)?.status ?? '')).length;
    const backlog = await sources.backlog(sourceQueues);
    if (pending === 0 && backlog === 0) return statuses;
    quietPolls = backlog === 0 && pending === lastPending ? quietPolls + 1 : 0;
    lastPending = pending;
    if (quietPolls >= 5) return statuses;
    if (Date.now() >= deadline) {
      progress(
        `settling: gave up after ${timeoutMs / 1000} s with ${pending} orders not final, ${backlog} messages queued`,
      );
      return statuses;
    }
    if (Date.now() - lastSaid >= 15_000) {
      lastSaid = Date.now();
      const seconds = Math.round((lastSaid - started) / 1000);
      progress(`settling for ${seconds} s: ${pending} orders not final, ${backlog} messages queued`);
    }
    await sleep(1_000);
  }
};

const dlqDepth = (dlqs: readonly DlqSummary[]) => total(dlqs.map((dlq) => dlq.depth + dlq.inFlight));

/** Runs one scenario from posting to audit. */
const runScenario = async (
  scenario: Scenario,
  orders: number,
  profile: ChaosProfile,
  context: ScenarioContext,
  runId: string,
): Promise<ScenarioReport> => {
  const { sources, faults, log } = context;
  const api = new SignedOrdersClient(context.target.apiUrl, context.target.region);
  const prefix = `chaos-${runId}-${scenario.name}-`;
  const notificationsBefore = await sources.notificationsSent();
  await faults.clear();
  const gatewayBefore = await sources.gateway.stats();
  log(`${scenario.name}: ${scenario.description}; ${orders} orders at ${profile.ordersPerSecond}/s`);
  await scenario.start(context);
  let posted: Posted[];
  let faultHits = 0;
  const postStarted = Date.now();
  try {
    posted = await postOrders(
      api,
      {
        prefix,
        count: orders,
        ratePerSecond: profile.ordersPerSecond,
        unicode: scenario.unicodeOrders === true,
      },
      async (second, sofar) => {
        await scenario.tick?.(context, second);
        if (second % 15 === 0) {
          const answered = sofar.filter((order) => order.status !== 0).length;
          log(`${scenario.name}: posting for ${second} s: ${sofar.length} posted, ${answered} answered`);
        }
      },
    );
  } finally {
    // The gateway's own failures count as the faults of its rules (a rule is one hit when applied).
    const gatewayAfter = await sources.gateway.stats();
    const gatewayFailures = (['failed', 'timeout', 'outage'] as const).map(
      (outcome) => gatewayAfter.byOutcome[outcome] - gatewayBefore.byOutcome[outcome],
    );
    faultHits =
      total((await faults.list()).map((rule) => rule.hits)) +
      total(gatewayFailures) +
      (scenario.extraHits?.(context) ?? 0);
    await faults.clear();
    await scenario.stop?.(context);
  }
  const postMs = Date.now() - postStarted;
  const settleStarted = Date.now();
  // Orders the driver never heard of but the table holds count too: their answers were lost, not the orders.
  const inTable = await sources.ordersWithCustomerPrefix(prefix);
  const accepted = posted.filter((order) => order.orderId !== undefined);
  const answered = new Set(accepted.map((order) => order.orderId as string));
  const unanswered = [...inTable.keys()].filter((id) => !answered.has(id));
  const orderIds = [...answered, ...unanswered];
  const dlqsAtStart = await sources.dlqs();
  const sourceQueues = await sources.sourceQueueUrls(dlqsAtStart);
  const progress = (line: string) => log(`${scenario.name}: ${line}`);
  await settle(sources, orderIds, sourceQueues, profile.settleTimeoutMs, progress);
  const replayAndSettle = async (dlqs: readonly DlqSummary[]) => {
    for (const dlq of dlqs) {
      if (dlq.depth + dlq.inFlight === 0) continue;
      const report = await replayDlq(sources.replayClients, dlq.queue, {
        waitTimeSeconds: 0,
        concurrency: 4,
      });
      const { replayed, skipped, failed } = report.totals;
      log(`${scenario.name}: ${dlq.queue.name}: replayed ${replayed}, skipped ${skipped}, failed ${failed}`);
    }
    return settle(sources, orderIds, sourceQueues, profile.settleTimeoutMs, progress);
  };
  const dlqsBefore = await sources.dlqs();
  let statuses = await replayAndSettle(dlqsBefore);
  // A message replayed while the consumer's idempotency lock of its failed run still held (the lock lasts the
  // function's timeout) fails again at once: replay what came back once more after that lock has expired.
  for (let round = 2; round <= REPLAY_ROUNDS; round += 1) {
    const again = (await sources.dlqs()).filter((dlq) => dlq.depth + dlq.inFlight > 0);
    const replayable = await sources.replayableMessages(again, (body) => body.includes(POISON_MARK));
    if (replayable === 0) break;
    log(
      `${scenario.name}: ${replayable} message(s) back in a DLQ; replaying again in ${REPLAY_PAUSE_MS / 1000} s`,
    );
    await sleep(REPLAY_PAUSE_MS);
    statuses = await replayAndSettle(again);
  }
  const settleMs = Date.now() - settleStarted;
  const dlqsAfter = await sources.dlqs();
  for (const line of await sources.describeDlqs(dlqsAfter)) log(`${scenario.name}: left in a DLQ: ${line}`);
  const [inDlq, inOutbox, ledger, notificationsAfter] = await Promise.all([
    sources.dlqOrderIds(dlqsAfter),
    sources.outboxOrderIds(),
    sources.ledger(),
    sources.notificationsSent(),
  ]);
  const ids = new Set(orderIds);
  // Charges by order, and by purchase: each posted order has a customer of its own, so two orders (or two charges)
  // of one customer are one request taken twice.
  const customerOf = (id: string) => statuses.get(id)?.customerId || id;
  const charges = new Map<string, number>();
  const chargesPerCustomer = new Map<string, number>();
  for (const entry of ledger) {
    const reference = entry.charge?.reference;
    if (reference === undefined || !ids.has(reference) || entry.charge?.status !== 'succeeded') continue;
    charges.set(reference, (charges.get(reference) ?? 0) + 1);
    chargesPerCustomer.set(customerOf(reference), (chargesPerCustomer.get(customerOf(reference)) ?? 0) + 1);
  }
  const ordersPerCustomer = new Map<string, number>();
  for (const id of orderIds)
    ordersPerCustomer.set(customerOf(id), (ordersPerCustomer.get(customerOf(id)) ?? 0) + 1);
  const statusOf = (id: string) => statuses.get(id)?.status ?? '';
  const stuck = orderIds.filter((id) => !FINAL_STATUSES.has(statusOf(id)));
  const lost = stuck.filter((id) => !inDlq.has(id) && !inOutbox.has(id));
  const paid = orderIds.filter((id) => statusOf(id) === 'PAID');
  const failed = orderIds.filter((id) => statusOf(id) === 'PAYMENT_FAILED');
  const inconsistent =
    paid.filter((id) => (charges.get(id) ?? 0) === 0).length +
    failed.filter((id) => (charges.get(id) ?? 0) > 0).length;
  const mangled =
    scenario.unicodeOrders === true
      ? accepted.filter((order) => statuses.get(order.orderId as string)?.customerId !== order.customerId)
          .length
      : 0;
  if (lost.length > 0) log(`${scenario.name}: LOST ${lost.slice(0, 20).join(', ')}`);
  const report: ScenarioReport = {
    scenario: scenario.name,
    posted: posted.length,
    accepted: accepted.length,
    paid: paid.length,
    paymentFailed: failed.length,
    stuck: stuck.length,
    lost: lost.length,
    doubleCharges: [...chargesPerCustomer.values()].filter((count) => count > 1).length,
    duplicateOrders: total([...ordersPerCustomer.values()].map((count) => count - 1)),
    inconsistent,
    unanswered: unanswered.length,
    mangled,
    notificationsSent: notificationsAfter - notificationsBefore,
    notificationsExpected: orderIds.length + paid.length + failed.length,
    dlqBefore: dlqDepth(dlqsBefore),
    dlqAfter: dlqDepth(dlqsAfter),
    postMs,
    settleMs,
    faultHits,
  };
  log(`${scenario.name}: ${JSON.stringify(report)}`);
  await scenario.cleanup?.(context);
  return report;
};

/**
 * Runs a chaos profile against a running local cloud: each scenario posts its orders while its faults act, then the
 * faults are cleared, the system settles (bounded), every DLQ is replayed with the DLQ tool, and the audit reads
 * the sources of truth.
 */
export const runChaos = async (options: RunChaosOptions): Promise<ChaosReport> => {
  const started = Date.now();
  const profile = typeof options.profile === 'string' ? PROFILES[options.profile] : options.profile;
  const log = options.log ?? (() => {});
  const sources = new SourcesOfTruth(options.target);
  const context: ScenarioContext = {
    target: options.target,
    faults: new FaultsClient(options.target.faultsUrl),
    sources,
    profile: profile.name,
    log,
  };
  const runId = randomUUID().slice(0, 8);
  const reports: ScenarioReport[] = [];
  try {
    for (const { scenario: name, orders } of profile.scenarios) {
      if (options.only !== undefined && !options.only.includes(name)) continue;
      const scenario = SCENARIOS[name];
      if (scenario === undefined)
        throw new Error(`no scenario ${name}; have ${Object.keys(SCENARIOS).join(', ')}`);
      const report = await runScenario(scenario, orders, profile, context, runId);
      reports.push(report);
      options.onScenario?.(report);
    }
  } finally {
    await context.faults.clear().catch(() => undefined);
    sources.close();
  }
  return summarize(profile.name, reports, Date.now() - started);
};

/** The run's report over the scenarios done. */
export const summarize = (
  profile: ChaosProfileName,
  reports: readonly ScenarioReport[],
  durationMs: number,
): ChaosReport => ({
  profile,
  scenarios: reports,
  ordersTotal: total(reports.map((report) => report.posted)),
  lost: total(reports.map((report) => report.lost)),
  doubleCharges: total(reports.map((report) => report.doubleCharges)),
  durationMs,
});

/** The report as a table, one row per scenario, then the one-line JSON summary. */
export const formatChaosReport = (report: ChaosReport): string => {
  const columns: readonly [string, (row: ScenarioReport) => string | number][] = [
    ['scenario', (row) => row.scenario],
    ['posted', (row) => row.posted],
    ['accepted', (row) => row.accepted],
    ['PAID', (row) => row.paid],
    ['FAILED', (row) => row.paymentFailed],
    ['stuck', (row) => row.stuck],
    ['lost', (row) => row.lost],
    ['double', (row) => row.doubleCharges],
    ['dup.', (row) => row.duplicateOrders],
    ['incons.', (row) => row.inconsistent],
    ['unans.', (row) => row.unanswered],
    ['notif.', (row) => `${row.notificationsSent}/${row.notificationsExpected}`],
    ['DLQ before→after', (row) => `${row.dlqBefore}→${row.dlqAfter}`],
    ['post s', (row) => (row.postMs / 1000).toFixed(1)],
    ['settle s', (row) => (row.settleMs / 1000).toFixed(1)],
    ['faults', (row) => row.faultHits],
  ];
  const cells = [
    columns.map(([name]) => name),
    ...report.scenarios.map((row) => columns.map(([, cell]) => String(cell(row)))),
  ];
  const widths = columns.map((_, index) => Math.max(...cells.map((row) => (row[index] ?? '').length)));
  const lines = cells.map((row) => row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  '));
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  const summary = {
    lost: report.lost,
    doubleCharges: report.doubleCharges,
    ordersTotal: report.ordersTotal,
    profile: report.profile,
    durationMs: report.durationMs,
  };
  return `${lines.join('\n')}\n${JSON.stringify(summary)}`;
};
