import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { type SystemDescription, type SystemTarget, SystemTargets } from './description';

/** Stack names of a stage, as `infra/breakwater.ts` names them. */
const stackNames = (stage: string) =>
  ['platform', 'orders', 'billing', 'fulfilment', 'replay', 'operations'].map(
    (service) => `breakwater-${stage}-${service}`,
  );

/** Reads the target from `BREAKWATER_TARGET` (default `local`), refusing anything else with the valid values. */
export const chosenTarget = (env = process.env): SystemTarget => {
  const raw = (env.BREAKWATER_TARGET ?? SystemTargets.local).trim();
  if (!Object.values<string>(SystemTargets).includes(raw)) {
    throw new Error(
      `BREAKWATER_TARGET must be one of ${Object.values(SystemTargets).join(', ')}; got '${raw}'`,
    );
  }
  return raw as SystemTarget;
};

/**
 * Describes an app deployed with `cdk deploy` (AWS) or `cdklocal deploy` (LocalStack) from its CloudFormation
 * stack outputs. Configuration: `BREAKWATER_STAGE` (default dev), the usual AWS variables (`AWS_REGION`, profile
 * or keys), `AWS_ENDPOINT_URL` for LocalStack (default `http://localhost.localstack.cloud:4566`) and, when the
 * gateway secret points at a fake gateway you run, `BREAKWATER_GATEWAY_ADMIN_URL`.
 */
export const describeDeployedApp = async (
  target: SystemTarget,
  env = process.env,
): Promise<SystemDescription> => {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const awsEndpointUrl =
    target === SystemTargets.localstack
      ? (env.AWS_ENDPOINT_URL ?? 'http://localhost.localstack.cloud:4566')
      : undefined;
  const cloudFormation = new CloudFormationClient({
    region,
    ...(awsEndpointUrl === undefined ? {} : { endpoint: awsEndpointUrl }),
  });
  const outputs: Record<string, string> = {};
  try {
    for (const stackName of stackNames(env.BREAKWATER_STAGE ?? 'dev')) {
      const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
      for (const output of Stacks[0]?.Outputs ?? []) {
        if (output.OutputKey && output.OutputValue && !output.OutputKey.startsWith('ExportsOutput')) {
          outputs[output.OutputKey] = output.OutputValue;
        }
      }
    }
  } finally {
    cloudFormation.destroy();
  }
  const apiUrl = outputs.ApiUrl;
  if (apiUrl === undefined) throw new Error('the orders stack has no ApiUrl output: is the app deployed?');
  return {
    target,
    region,
    ...(awsEndpointUrl === undefined ? {} : { awsEndpointUrl }),
    apiUrl: apiUrl.replace(/\/$/, ''),
    signApiRequests: target === SystemTargets.aws,
    outputs,
    ...(env.BREAKWATER_GATEWAY_ADMIN_URL ? { gatewayAdminUrl: env.BREAKWATER_GATEWAY_ADMIN_URL } : {}),
  };
};
