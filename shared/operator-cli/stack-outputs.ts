import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { type ResolvedConnection, resolveConnection } from './local-cloud';

type Env = Readonly<Record<string, string | undefined>>;

/** The stage whose stacks name things (`breakwater-<stage>-*`): BREAKWATER_STAGE, default `dev`. */
export const stageOf = (env: Env = process.env): string => env.BREAKWATER_STAGE?.trim() || 'dev';

/**
 * The outputs of every stack named `breakwater-<stage>-*`, merged by key, read with DescribeStacks (all pages).
 * CDK's generated cross-stack outputs are left out.
 */
export const readStackOutputs = async (
  cloudFormation: CloudFormationClient,
  stage: string,
): Promise<Record<string, string>> => {
  const outputs: Record<string, string> = {};
  let nextToken: string | undefined;
  do {
    const page = await cloudFormation.send(
      new DescribeStacksCommand(nextToken === undefined ? {} : { NextToken: nextToken }),
    );
    for (const stack of page.Stacks ?? []) {
      if (!stack.StackName?.startsWith(`breakwater-${stage}-`)) continue;
      for (const output of stack.Outputs ?? []) {
        const key = output.OutputKey;
        if (key === undefined || output.OutputValue === undefined || key.startsWith('ExportsOutput'))
          continue;
        outputs[key] = output.OutputValue;
      }
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return outputs;
};

/**
 * The stack outputs friendly names resolve against, read once and only when a name needs them: the running local
 * cloud's endpoints file when the endpoint is its edge, else CloudFormation (AWS, or a local cloud serving it).
 * When they cannot be read (no permission, no CloudFormation on the endpoint) there are none: physical names,
 * URLs and ARNs still work.
 */
export const stackOutputsLoader = (
  connection: ResolvedConnection,
  env: Env = process.env,
): (() => Promise<Readonly<Record<string, string>>>) => {
  let loaded: Promise<Readonly<Record<string, string>>> | undefined;
  return () => {
    loaded ??= (async () => {
      if (connection.localOutputs !== undefined) return connection.localOutputs;
      const client = new CloudFormationClient({
        ...(connection.region === undefined ? {} : { region: connection.region }),
        ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
        ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
        maxAttempts: 2,
      });
      try {
        return await readStackOutputs(client, stageOf(env));
      } catch {
        return {};
      } finally {
        client.destroy();
      }
    })();
    return loaded;
  };
};

/** The connection and the outputs loader for a CLI's `--region` / `--endpoint-url`. */
export const operatorContext = (
  explicit: { readonly region?: string; readonly endpoint?: string },
  env: Env = process.env,
): {
  readonly connection: ResolvedConnection;
  readonly outputs: () => Promise<Readonly<Record<string, string>>>;
} => {
  const connection = resolveConnection(explicit, env);
  return { connection, outputs: stackOutputsLoader(connection, env) };
};
