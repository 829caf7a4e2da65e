import { DeployerError } from './errors.js';
import type { DeployedResource, LocalDeployment } from './types.js';

/** A stack output of the deployment; throws when absent. */
export const stackOutput = (deployment: LocalDeployment, stackName: string, outputKey: string): string => {
  const value = deployment.stacks.find((stack) => stack.stackName === stackName)?.outputs[outputKey];
  if (value === undefined) throw new DeployerError(`stack ${stackName} has no output ${outputKey}`);
  return value;
};

/**
 * The one resource of a stack whose logical id is `logicalId` or starts with it (CDK appends a hash: `Inbox`
 * finds `InboxA8E05DC3`), optionally of one type; throws when none or several match.
 */
export const findResource = (
  deployment: LocalDeployment,
  stackName: string,
  logicalId: string,
  type?: string,
): DeployedResource => {
  const stack = deployment.stacks.find((candidate) => candidate.stackName === stackName);
  const exact = stack?.resources[logicalId];
  if (exact !== undefined && (type === undefined || exact.type === type)) return exact;
  const matches = Object.values(stack?.resources ?? {}).filter(
    (resource) =>
      /^[0-9A-F]{8}$/.test(resource.logicalId.slice(logicalId.length)) &&
      resource.logicalId.startsWith(logicalId) &&
      (type === undefined || resource.type === type),
  );
  if (matches.length !== 1) {
    throw new DeployerError(
      `${matches.length} resources of ${stackName} match ${logicalId}${type === undefined ? '' : ` (${type})`}`,
    );
  }
  return matches[0]!;
};
