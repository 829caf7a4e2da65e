import {
  deadLetterAttributes,
  type FailureReason,
  sdkMessageAttributes,
} from '@breakwater/dlq/failure-reason';
import type { SQSRecord } from 'aws-lambda';
import type { DeadLetterSender } from '../../shared/batch/dead-letter';

/** One record sent to the DLQ, with its reason and the attributes its DLQ copy would carry. */
export interface DeadLetter {
  readonly record: SQSRecord;
  readonly reason: FailureReason;
}

/** A `DeadLetterSender` that keeps what it was given; `failWith` makes every send fail (e.g. no permission). */
export class RecordingDeadLetters implements DeadLetterSender {
  public readonly sent: DeadLetter[] = [];
  public failWith: Error | undefined;

  public async send(record: SQSRecord, reason: FailureReason) {
    if (this.failWith !== undefined) throw this.failWith;
    this.sent.push({ record, reason });
    return {
      placement: deadLetterAttributes(sdkMessageAttributes(record.messageAttributes), reason).placement,
    };
  }
}
