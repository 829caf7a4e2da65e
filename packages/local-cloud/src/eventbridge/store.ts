import { busNameOf, eventBusArn, type Scope } from './arns.js';
import { AwsErrors, busNotFound, ruleNotFound } from './aws-errors.js';
import {
  type ArchiveRecord,
  DEFAULT_BUS_NAME,
  type EventBusRecord,
  type ReplayRecord,
  type RuleRecord,
} from './model.js';

/**
 * The in-memory state of one region of one account: buses (the default one always there), their rules and targets,
 * archives and replays. Lookups throw the AWS error an action would answer with.
 */
export class EventBridgeStore {
  public readonly scope: Scope;
  private readonly buses = new Map<string, EventBusRecord>();
  /** Rules by bus name, then rule name. */
  private readonly rulesByBus = new Map<string, Map<string, RuleRecord>>();
  public readonly archives = new Map<string, ArchiveRecord>();
  public readonly replays = new Map<string, ReplayRecord>();

  public constructor(scope: Scope, now: number) {
    this.scope = scope;
    this.addBus({
      name: DEFAULT_BUS_NAME,
      arn: eventBusArn(scope, DEFAULT_BUS_NAME),
      creationTime: now,
      lastModifiedTime: now,
      tags: new Map(),
      policy: new Map(),
    });
  }

  /** Every bus, by name. */
  public listBuses(): EventBusRecord[] {
    return [...this.buses.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The bus, or undefined. */
  public findBus(name: string): EventBusRecord | undefined {
    return this.buses.get(name);
  }

  /** The bus designated by an `EventBusName` parameter (name or ARN; default when absent), or `ResourceNotFound`. */
  public bus(nameOrArn: string | undefined): EventBusRecord {
    const name = busNameOf(this.scope, nameOrArn);
    const bus = name === undefined ? undefined : this.buses.get(name);
    if (bus === undefined) throw busNotFound(name ?? String(nameOrArn));
    return bus;
  }

  /** Adds a bus (the caller checked that the name is free). */
  public addBus(bus: EventBusRecord): void {
    this.buses.set(bus.name, bus);
    this.rulesByBus.set(bus.name, new Map());
  }

  /** Removes a bus with its rules and their targets (archives stay, as their own resources). */
  public deleteBus(name: string): void {
    this.buses.delete(name);
    this.rulesByBus.delete(name);
  }

  /** The rules of a bus, by name. */
  public rules(busName: string): RuleRecord[] {
    return [...(this.rulesByBus.get(busName)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The rule, or undefined. */
  public findRule(busName: string, name: string): RuleRecord | undefined {
    return this.rulesByBus.get(busName)?.get(name);
  }

  /** The rule, or `ResourceNotFoundException` worded as AWS words it. */
  public rule(busName: string, name: string): RuleRecord {
    const rule = this.findRule(busName, name);
    if (rule === undefined) throw ruleNotFound(name, busName);
    return rule;
  }

  /** Adds or replaces a rule. */
  public putRule(rule: RuleRecord): void {
    const rules = this.rulesByBus.get(rule.busName);
    if (rules === undefined) throw busNotFound(rule.busName);
    rules.set(rule.name, rule);
  }

  /** Removes a rule (absent rules are fine: DeleteRule is idempotent). */
  public deleteRule(busName: string, name: string): void {
    this.rulesByBus.get(busName)?.delete(name);
  }

  /** The archive, or `ResourceNotFoundException`. */
  public archive(name: string): ArchiveRecord {
    const archive = this.archives.get(name);
    if (archive === undefined) throw AwsErrors.notFound(`Archive ${name} does not exist.`);
    return archive;
  }

  /** The replay, or `ResourceNotFoundException`. */
  public replay(name: string): ReplayRecord {
    const replay = this.replays.get(name);
    if (replay === undefined) throw AwsErrors.notFound(`Replay ${name} does not exist.`);
    return replay;
  }
}
