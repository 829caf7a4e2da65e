import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readLocalCloudFile, STATE_DIR_ENV, stateDirectory } from '../../shared/operator-cli/local-cloud';
import { awsInvocation, findAwsCli } from './aws-invocation';

/** Entry of `npm run aws -- ...` (see aws-invocation.ts); exits with the AWS CLI's code, 2 when it cannot run it. */
const main = async (): Promise<number> => {
  // npm runs scripts from the package root; a relative state directory is the user's, from where npm was run.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const directory = stateDirectory(process.env, cwd);
  const cloud = readLocalCloudFile(directory);
  if (cloud === undefined) {
    process.stderr.write(
      `npm run aws: no running local cloud found (${join(directory, 'endpoints.json')} is missing): start it with \`npm start\`` +
        ` (or set ${STATE_DIR_ENV} to its --state-dir)\n`,
    );
    return 2;
  }
  const cli = findAwsCli();
  if (cli === undefined) {
    process.stderr.write('npm run aws: the AWS CLI is not installed (sudo apt-get install -y awscli)\n');
    return 2;
  }
  const invocation = awsInvocation(process.argv.slice(2), cloud, process.env);
  const child = spawn(cli, invocation.args, {
    stdio: 'inherit',
    cwd,
    env: Object.fromEntries(Object.entries(invocation.env).filter(([, value]) => value !== undefined)),
  });
  return new Promise((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`npm run aws: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
};

main().then((code) => process.exit(code));
