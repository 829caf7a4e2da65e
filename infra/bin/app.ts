import { App } from 'aws-cdk-lib';
import { addNagChecks, buildBreakwater } from '../breakwater';
import { stageConfigFrom } from '../config';

// Entry of `cdk synth|deploy` (cdk.json). Stage from `-c stage=dev|prod` (default dev); account and region from
// the CLI's environment, so synth runs offline with CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION set and no credentials.
const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
buildBreakwater(app, {
  config: stageConfigFrom(app),
  ...(account && region ? { env: { account, region } } : {}),
});
addNagChecks(app);
app.synth();
