/**
 * The contract between the edge endpoint and each in-process service emulator of the local cloud (EventBridge,
 * Secrets Manager, SSM, and the SQS extension actions). Services speak the AWS JSON 1.1 protocol: the edge decodes
 * `X-Amz-Target: <targetPrefix>.<Action>` and the JSON body, and encodes the answer or the AWS-shaped error.
 */
export interface JsonServiceRequest {
  /** The action, e.g. `PutEvents`. */
  readonly action: string;
  /** The parsed JSON body (already checked to be an object). */
  readonly input: Record<string, unknown>;
  readonly region: string;
  readonly accountId: string;
}

export interface JsonServiceResponse {
  readonly status: number;
  readonly body: unknown;
}

/** An emulated AWS service reached through `X-Amz-Target: <targetPrefix>.<Action>`. */
export interface JsonProtocolService {
  /** Signing name, e.g. `events`, `secretsmanager`, `ssm`, `sqs`. */
  readonly signingName: string;
  /** The X-Amz-Target prefix, e.g. `AWSEvents`, `secretsmanager`, `AmazonSSM`, `AmazonSQS`. */
  readonly targetPrefix: string;
  /** Answers a request; throws `AwsServiceError` for AWS-shaped errors. Unknown actions throw `UnknownOperationException`. */
  handle(request: JsonServiceRequest): Promise<JsonServiceResponse>;
}

/** An error that the edge turns into an AWS JSON error: `{ "__type": type, "message": message }` with `status`. */
export class AwsServiceError extends Error {
  public constructor(
    public readonly type: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
    this.name = 'AwsServiceError';
  }
}

/** The JSON body of an AWS-shaped error. */
export const awsErrorBody = (error: AwsServiceError): { __type: string; message: string } => ({
  __type: error.type,
  message: error.message,
});

/** The account id the local cloud uses in every ARN (LocalStack's convention). */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** The default region of the local cloud. */
export const LOCAL_REGION = 'us-east-1';
