import { App } from 'aws-cdk-lib';
import { addNagChecks, buildBreakwater } from '../breakwater';
import { stageConfigFrom } from '../config';
import { deployEnvironmentOf } from '../deploy-environment';

// Entry of `cdk synth|deploy` (cdk.json). Stage from `-c stage=dev|prod` (default dev). Account and region from
// `-c account=… -c region=…` when given, else from the CLI (`--profile`, `AWS_REGION`, the profile's region): see
// `deploy-environment.ts`. Synth runs offline with CDK_DEFAULT_ACCOUNT set (or -c account) and no credentials.
const app = new App();
const { env } = deployEnvironmentOf(app);
buildBreakwater(app, { config: stageConfigFrom(app), ...(env === undefined ? {} : { env }) });
addNagChecks(app);
app.synth();
