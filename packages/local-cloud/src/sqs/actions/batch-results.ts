import type { BatchResultErrorEntry } from '@aws-sdk/client-sqs';
import { SqsServiceError } from '../errors.js';

/**
 * Runs one entry of a batch: its id succeeds, or fails with the error's code and message (AWS answers 200 and
 * reports each entry). Errors that are not SQS errors are bugs and propagate.
 */
export const runEntries = <E extends { readonly Id?: string | undefined }>(
  entries: readonly E[],
  run: (entry: E) => void,
): { Successful: { Id: string }[] | undefined; Failed: BatchResultErrorEntry[] | undefined } => {
  const successful: { Id: string }[] = [];
  const failed: BatchResultErrorEntry[] = [];
  for (const entry of entries) {
    const Id = entry.Id ?? '';
    try {
      run(entry);
      successful.push({ Id });
    } catch (error) {
      if (!(error instanceof SqsServiceError)) throw error;
      failed.push({ Id, SenderFault: error.senderFault, Code: error.code, Message: error.message });
    }
  }
  // Undefined members vanish from the JSON answer, as AWS leaves empty lists out.
  return {
    Successful: successful.length === 0 ? undefined : successful,
    Failed: failed.length === 0 ? undefined : failed,
  };
};
