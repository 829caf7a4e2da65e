/** The three places the system suite can run against, chosen by `BREAKWATER_TARGET`. */
export const SystemTargets = { local: 'local', localstack: 'localstack', aws: 'aws' } as const;
export type SystemTarget = (typeof SystemTargets)[keyof typeof SystemTargets];

/**
 * What the system tests need to know about a deployed Breakwater, whatever the target: it is serializable, so the
 * global setup can hand it to every test file.
 */
export interface SystemDescription {
  readonly target: SystemTarget;
  readonly region: string;
  /** `AWS_ENDPOINT_URL` of the SDK clients; absent for real AWS. */
  readonly awsEndpointUrl?: string;
  readonly apiUrl: string;
  /** The API uses IAM authorization: on AWS every request is signed with SigV4. */
  readonly signApiRequests: boolean;
  /** Every stack output, by key (`BillingQueueUrl`, `BillingDlqUrl`, `EventBusName`, ...). */
  readonly outputs: Readonly<Record<string, string>>;
  /** Admin API of the fake payment gateway the deployed secret points at; absent when the gateway is real. */
  readonly gatewayAdminUrl?: string;
  /** Admin API of the local Redis endpoint (stop and start redis-server); only on the local cloud. */
  readonly redisAdminUrl?: string;
  /** The local SNS inbox (`GET` → every notification); only on the local cloud. */
  readonly inboxUrl?: string;
  /** The local CloudWatch clock (`POST {"advanceSeconds"}`); only on the local cloud. */
  readonly cloudWatchClockUrl?: string;
  /** The local schedules' clock (`POST {"advanceSeconds"}` runs a due schedule now); only on the local cloud. */
  readonly scheduleClockUrl?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    breakwater: SystemDescription;
  }
}
