import type { MessageVisibility } from '../../shared/batch/open-circuit-deferral';

/** One ChangeMessageVisibility request. */
export interface VisibilityChange {
  readonly queueUrl: string;
  readonly receiptHandle: string;
  readonly seconds: number;
}

/** `MessageVisibility` that records each change, and fails every one while `failWith` is set. */
export class RecordingVisibility implements MessageVisibility {
  public readonly changes: VisibilityChange[] = [];
  public failWith: Error | undefined;

  public async change(queueUrl: string, receiptHandle: string, seconds: number): Promise<void> {
    if (this.failWith !== undefined) throw this.failWith;
    this.changes.push({ queueUrl, receiptHandle, seconds });
  }
}
