import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FunctionReload,
  startFunctionWatch,
} from '../../../packages/local-cloud/src/cloud/function-watch';
import { type LambdaRunner, startLambdaRunner } from '../../../packages/local-cloud/src/lambda';
import type { FunctionDefinition } from '../../../packages/local-cloud/src/lambda/types';

/**
 * Watch mode on a temp copy of a function tree: editing one function's core rebuilds that bundle alone and the
 * runner serves the new behaviour at the next invocation, while the other function's warm environment (its
 * in-memory state) is untouched.
 */

const handler = (core: string) =>
  `import { answer } from './core';\nlet calls = 0;\nexport const handler = async () => ({ answer: answer(), pid: process.pid, calls: ++calls, core: '${core}' });\n`;

describe('npm start --watch: one function rebuilt and swapped, state kept', () => {
  let root: string;
  let runner: LambdaRunner;
  let watch: Awaited<ReturnType<typeof startFunctionWatch>>;
  const reloads: FunctionReload[] = [];
  const clients = {
    sqs: new SQSClient({ region: 'us-east-1' }),
    dynamodbStreams: new DynamoDBStreamsClient({ region: 'us-east-1' }),
  };

  const definition = (name: string): FunctionDefinition => ({
    functionName: name,
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    stackName: 'Watch',
    logicalId: name,
    runtime: 'nodejs24.x',
    handler: 'index.handler',
    codeDirectory: join(root, 'cdk.out', name),
    environment: {},
    timeoutSeconds: 10,
    memorySizeMb: 128,
  });
  const invoke = async (name: string) => {
    const result = await runner.invoke(name, {});
    if (!result.ok) throw new Error(result.error.errorMessage);
    return result.payload as { answer: string; pid: number; calls: number };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'breakwater-watch-'));
    for (const name of ['greeter', 'counter']) {
      mkdirSync(join(root, 'functions', name), { recursive: true });
      writeFileSync(
        join(root, 'functions', name, 'core.ts'),
        `export const answer = (): string => '${name} v1';\n`,
      );
      writeFileSync(join(root, 'functions', name, 'handler.ts'), handler(name));
      // The first bundle, as synthesis leaves it: index.mjs with a source map naming the handler.
      await build({
        entryPoints: [join(root, 'functions', name, 'handler.ts')],
        outfile: join(root, 'cdk.out', name, 'index.mjs'),
        bundle: true,
        platform: 'node',
        format: 'esm',
        sourcemap: true,
        sourcesContent: false,
        absWorkingDir: root,
        logLevel: 'silent',
      });
    }
    runner = await startLambdaRunner({
      topology: {
        functions: [definition('greeter'), definition('counter')],
        asyncInvokeConfigs: [],
        eventSourceMappings: [],
        httpApis: [],
      },
      clients,
      environment: { region: 'us-east-1' },
      log: () => {},
    });
    watch = await startFunctionWatch({
      rootDirectory: root,
      functions: [definition('greeter'), definition('counter')],
      runner,
      onReload: (reload) => reloads.push(reload),
    });
  }, 120_000);
  afterAll(async () => {
    await watch?.stop();
    await runner?.stop();
    clients.sqs.destroy();
    clients.dynamodbStreams.destroy();
    rmSync(root, { recursive: true, force: true });
    console.log(`watch mode, edit → reloaded (ms): ${reloads.map((reload) => reload.ms).join(', ')}`);
  });

  it('watches every function whose bundle names its handler', () => {
    expect([...watch.watching].sort()).toEqual(['counter', 'greeter']);
  });

  it('serves an edited core at the next invocation, rebuilding and reloading that function alone', async () => {
    expect((await invoke('greeter')).answer).toBe('greeter v1');
    const counter = await invoke('counter');
    await invoke('counter');

    // Saved as many editors save: a new file renamed over the old one.
    const core = join(root, 'functions', 'greeter', 'core.ts');
    writeFileSync(`${core}.tmp`, "export const answer = (): string => 'greeter v2';\n");
    renameSync(`${core}.tmp`, core);

    await expect
      .poll(async () => (await invoke('greeter')).answer, { timeout: 30_000, interval: 100 })
      .toBe('greeter v2');
    expect(
      reloads.filter((reload) => reload.error === undefined).map((reload) => reload.functionName),
    ).toEqual(['greeter']);
    // The other function kept its warm environment and the state in it.
    const after = await invoke('counter');
    expect(after.pid).toBe(counter.pid);
    expect(after.calls).toBe(3);
  });
});
