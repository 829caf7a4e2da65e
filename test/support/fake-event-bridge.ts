import type {
  PutEventsCommand,
  PutEventsCommandOutput,
  PutEventsRequestEntry,
  PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { PutEventsSender } from '../../shared/events/publisher';

/** Decides the fate of one entry on one call: `undefined` accepts it, a string is the error code to answer. */
export type EntryRule = (entry: PutEventsRequestEntry, call: number) => string | undefined;

/**
 * An EventBridge `PutEvents` endpoint in memory: records every call, accepts entries unless a rule says otherwise,
 * and can fail whole calls. It enforces the real limits, so a publisher that breaks them fails the test.
 */
export class FakeEventBridge implements PutEventsSender {
  public readonly calls: PutEventsRequestEntry[][] = [];
  /** Entries accepted, in order. */
  public readonly accepted: PutEventsRequestEntry[] = [];
  public entryRule: EntryRule = () => undefined;
  /** When it returns an error for a call number (1-based), that whole call throws it. */
  public callFailure: (call: number) => Error | undefined = () => undefined;

  public async send(command: PutEventsCommand): Promise<PutEventsCommandOutput> {
    const entries = command.input.Entries ?? [];
    this.calls.push(entries);
    const call = this.calls.length;
    if (entries.length > 10) throw new Error(`ValidationException: ${entries.length} entries`);
    const failure = this.callFailure(call);
    if (failure !== undefined) throw failure;
    const results: PutEventsResultEntry[] = entries.map((entry, index) => {
      const errorCode = this.entryRule(entry, call);
      if (errorCode !== undefined) return { ErrorCode: errorCode, ErrorMessage: `${errorCode} (fake)` };
      this.accepted.push(entry);
      return { EventId: `eb-${call}-${index}` };
    });
    return {
      $metadata: {},
      FailedEntryCount: results.filter((result) => result.ErrorCode !== undefined).length,
      Entries: results,
    };
  }

  /** The domain event ids of the accepted entries. */
  public acceptedEventIds(): string[] {
    return this.accepted.map((entry) => (JSON.parse(entry.Detail ?? '{}') as { id: string }).id);
  }
}
