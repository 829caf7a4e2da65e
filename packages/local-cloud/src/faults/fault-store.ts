import { LocalCloudError } from '../support/errors.js';
import {
  EDGE_SERVICES,
  type FaultKind,
  type FaultRule,
  type FaultService,
  type FaultSpec,
  FaultSpecSchema,
  KINDS_BY_SERVICE,
} from './fault-model.js';

/** A rule was refused: `issues` say why. */
export class FaultSpecError extends LocalCloudError {
  public constructor(public readonly issues: readonly string[]) {
    super(`invalid fault: ${issues.join('; ')}`);
    this.name = 'FaultSpecError';
  }
}

/** One request as the matcher sees it. */
export interface FaultRequest {
  readonly service: FaultService;
  /** The operation (`PutEvents`) or, for Lambda, the function name. */
  readonly action: string;
  /** The request's text, for rules with a `resource`; read only when `needsResource` says so. */
  readonly resource?: string;
}

/** A rule that fired for a request. */
export type FiredFault = FaultRule;

/**
 * What acts at once when a rule is added (Redis stops, gateway knobs, killing idle workers) and undoes it on clear.
 * `apply` may return how many things it hit (workers killed).
 */
export interface FaultActuator {
  apply(rule: FaultRule): Promise<number | undefined>;
  /** Undoes one rule (its window ended, or it was cleared). */
  undo?(rule: FaultRule): Promise<void>;
}

/** Options of {@link FaultStore}. */
export interface FaultStoreOptions {
  /** Random draws for `rate`; default `Math.random`. */
  readonly random?: () => number;
  /** The clock; default `Date.now`. */
  readonly now?: () => number;
  /** Every fault fired or added is said here; default standard error. */
  readonly log?: (line: string) => void;
}

interface StoredRule {
  readonly spec: FaultSpec;
  readonly id: string;
  readonly createdAt: number;
  readonly expiresAt: number | undefined;
  hits: number;
  matcher: RegExp;
  undoTimer?: NodeJS.Timeout;
  undone: boolean;
}

/** `*` and `?` globs, anchored, case-sensitive (AWS names are). */
export const globMatcher = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('')}$`,
  );

const issuesOf = (error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string[] =>
  error.issues.map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`);

/** Kinds that act when added rather than on requests. */
const IMMEDIATE: ReadonlySet<FaultKind> = new Set(['outage', 'gateway']);
const isImmediate = (spec: FaultSpec): boolean =>
  IMMEDIATE.has(spec.kind) || ((spec.kind === 'kill' || spec.kind === 'freeze') && spec.phase === 'idle');

/**
 * The fault rules of one local cloud and their matcher. Request faults are consulted with {@link take} by each
 * place requests are handled (the edge, the Upstash endpoint, the Lambda runner); immediate faults act through an
 * actuator when added. Every fault fired is counted on its rule and logged.
 */
export class FaultStore {
  private readonly rules = new Map<string, StoredRule>();
  private readonly actuators = new Map<FaultService, FaultActuator>();
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private sequence = 0;

  public constructor(options: FaultStoreOptions = {}) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => process.stderr.write(`[faults] ${line}\n`));
  }

  /** Lets the rules of a service act (the local cloud registers Redis, the gateway and the Lambda runner). */
  public registerActuator(service: FaultService, actuator: FaultActuator): void {
    this.actuators.set(service, actuator);
  }

  /** Validates and adds a rule; immediate kinds act before this resolves. Throws {@link FaultSpecError}. */
  public async add(input: unknown): Promise<FaultRule> {
    const parsed = FaultSpecSchema.safeParse(input);
    if (!parsed.success) throw new FaultSpecError(issuesOf(parsed.error));
    const spec = parsed.data;
    const allowed = KINDS_BY_SERVICE[spec.service];
    if (!allowed.includes(spec.kind)) {
      throw new FaultSpecError([`kind: ${spec.service} takes ${allowed.join(', ')}, not ${spec.kind}`]);
    }
    if (spec.service === 'redis' && spec.durationMs === undefined && spec.count !== undefined) {
      throw new FaultSpecError(['count: a Redis outage lasts durationMs or until cleared']);
    }
    const actuator = isImmediate(spec) ? this.actuators.get(spec.service) : undefined;
    if (isImmediate(spec) && actuator === undefined) {
      throw new FaultSpecError([`service: this local cloud has no ${spec.service} to act on`]);
    }
    let matcher: RegExp;
    try {
      matcher = globMatcher(spec.action);
    } catch {
      throw new FaultSpecError(['action: not a valid glob']);
    }
    this.sequence += 1;
    const createdAt = this.now();
    const stored: StoredRule = {
      spec,
      id: `fault-${this.sequence}`,
      createdAt,
      expiresAt: spec.durationMs === undefined ? undefined : createdAt + spec.durationMs,
      hits: 0,
      matcher,
      undone: false,
    };
    this.rules.set(stored.id, stored);
    this.log(`added ${stored.id}: ${describeSpec(spec)}`);
    if (actuator !== undefined) {
      const hit = await actuator.apply(this.view(stored));
      stored.hits += hit ?? 1;
      this.log(`${stored.id} applied (${hit ?? 1} hit)`);
      if (stored.expiresAt !== undefined && actuator.undo !== undefined) {
        stored.undoTimer = setTimeout(() => void this.undo(stored), spec.durationMs);
        stored.undoTimer.unref();
      }
    }
    return this.view(stored);
  }

  /** Every rule, with its hits; spent and expired ones too (until cleared). */
  public list(): FaultRule[] {
    return [...this.rules.values()].map((stored) => this.view(stored));
  }

  /** Removes every rule, undoing the immediate ones still in force; returns how many were removed. */
  public async clear(): Promise<number> {
    const all = [...this.rules.values()];
    this.rules.clear();
    for (const stored of all) await this.undo(stored);
    if (all.length > 0) this.log(`cleared ${all.length} fault(s)`);
    return all.length;
  }

  /** Removes one rule; false when there is none with that id. */
  public async remove(id: string): Promise<boolean> {
    const stored = this.rules.get(id);
    if (stored === undefined) return false;
    this.rules.delete(id);
    await this.undo(stored);
    this.log(`removed ${id}`);
    return true;
  }

  /** Whether a request of this service and action could be hit by a rule that needs its text. */
  public needsResource(service: FaultService, action: string, kinds: readonly FaultKind[]): boolean {
    for (const stored of this.rules.values()) {
      if (stored.spec.resource !== undefined && this.applies(stored, service, action, kinds)) return true;
    }
    return false;
  }

  /** Whether any live rule of these kinds could apply to the service (a cheap check before any work). */
  public has(service: FaultService, kinds: readonly FaultKind[]): boolean {
    for (const stored of this.rules.values()) {
      if (stored.spec.service === service && kinds.includes(stored.spec.kind) && this.live(stored))
        return true;
    }
    return false;
  }

  /**
   * The first live rule of these kinds that matches the request and wins its `rate` draw; it is counted and logged.
   * Rules are tried oldest first; a rule that loses its draw lets the next one try.
   */
  public take(request: FaultRequest, kinds: readonly FaultKind[]): FiredFault | undefined {
    for (const stored of this.rules.values()) {
      if (!this.applies(stored, request.service, request.action, kinds)) continue;
      const { resource } = stored.spec;
      if (resource !== undefined && !(request.resource ?? '').includes(resource)) continue;
      if (stored.spec.rate < 1 && this.random() >= stored.spec.rate) continue;
      stored.hits += 1;
      this.log(`${stored.id} hit ${request.service} ${request.action}: ${describeSpec(stored.spec)}`);
      return this.view(stored);
    }
    return undefined;
  }

  private applies(stored: StoredRule, service: FaultService, action: string, kinds: readonly FaultKind[]) {
    return (
      stored.spec.service === service &&
      kinds.includes(stored.spec.kind) &&
      !isImmediate(stored.spec) &&
      this.live(stored) &&
      stored.matcher.test(action)
    );
  }

  private live(stored: StoredRule): boolean {
    if (stored.expiresAt !== undefined && this.now() >= stored.expiresAt) return false;
    return stored.spec.count === undefined || stored.hits < stored.spec.count;
  }

  private async undo(stored: StoredRule): Promise<void> {
    if (stored.undoTimer !== undefined) clearTimeout(stored.undoTimer);
    if (stored.undone || !isImmediate(stored.spec)) return;
    stored.undone = true;
    const actuator = this.actuators.get(stored.spec.service);
    try {
      await actuator?.undo?.(this.view(stored));
      this.log(`${stored.id} undone`);
    } catch (error) {
      this.log(`${stored.id} could not be undone: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private view(stored: StoredRule): FaultRule {
    return {
      ...stored.spec,
      id: stored.id,
      createdAt: new Date(stored.createdAt).toISOString(),
      ...(stored.expiresAt === undefined ? {} : { expiresAt: new Date(stored.expiresAt).toISOString() }),
      hits: stored.hits,
      active: isImmediate(stored.spec)
        ? !stored.undone && this.live({ ...stored, hits: 0 })
        : this.live(stored),
    };
  }
}

/** One line about a rule, for the log. */
export const describeSpec = (spec: FaultSpec): string => {
  const where = `${spec.service} ${spec.action}${spec.resource === undefined ? '' : ` [${spec.resource}]`}`;
  const how =
    spec.kind === 'error'
      ? `error ${spec.code ?? '(default)'}`
      : spec.kind === 'latency'
        ? `latency ${spec.ms} ms`
        : spec.kind === 'partial-failure'
          ? `partial failure ${spec.code} (${spec.entryRate * 100}% of entries)`
          : spec.kind === 'freeze'
            ? `freeze ${spec.ms} ms (${spec.phase})`
            : spec.kind === 'kill'
              ? `kill (${spec.phase})`
              : spec.kind === 'gateway'
                ? `gateway knobs ${JSON.stringify(spec.knobs)}`
                : spec.kind;
  const limits = [
    spec.rate < 1 ? `rate ${spec.rate}` : undefined,
    spec.count === undefined ? undefined : `count ${spec.count}`,
    spec.durationMs === undefined ? undefined : `for ${spec.durationMs} ms`,
  ].filter((part) => part !== undefined);
  return `${where}: ${how}${limits.length > 0 ? ` (${limits.join(', ')})` : ''}`;
};

/** Services served by the edge (the others are acted on elsewhere). */
export const isEdgeService = (service: string): service is FaultService =>
  EDGE_SERVICES.has(service as FaultService);
