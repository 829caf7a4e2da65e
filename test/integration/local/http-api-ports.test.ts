import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deployLocal } from '../../../packages/local-cloud/src/deployer';
import { freePort } from '../../../packages/local-cloud/src/support/ports';

const directories: string[] = [];

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** An assembly of one stack holding an HTTP API whose logical id is CDK's: construct id plus an 8-digit hash. */
const apiAssembly = (): string => {
  const directory = mkdtempSync(join(tmpdir(), 'breakwater-api-ports-'));
  directories.push(directory);
  const template = {
    Resources: {
      HttpApiF5A9A8A7: {
        Type: 'AWS::ApiGatewayV2::Api',
        Properties: { Name: 'shop-orders', ProtocolType: 'HTTP' },
      },
    },
    Outputs: { ApiUrl: { Value: { 'Fn::GetAtt': ['HttpApiF5A9A8A7', 'ApiEndpoint'] } } },
  };
  writeFileSync(join(directory, 'Shop.template.json'), JSON.stringify(template));
  writeFileSync(
    join(directory, 'manifest.json'),
    JSON.stringify({
      version: '55.0.0',
      artifacts: {
        Shop: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/unknown-region',
          properties: { templateFile: 'Shop.template.json' },
        },
      },
    }),
  );
  return directory;
};

const apiUrl = async (httpApiPorts: Record<string, number>): Promise<string | undefined> => {
  const deployment = await deployLocal({
    assemblyDirectory: apiAssembly(),
    clients: {},
    httpApiPorts,
    log: () => {},
  });
  return deployment.stacks[0]?.outputs.ApiUrl;
};

describe('HTTP API ports', () => {
  it('serves an API on the port given for its construct id (the logical id without its hash)', async () => {
    const port = await freePort();
    expect(await apiUrl({ HttpApi: port })).toBe(`http://127.0.0.1:${port}`);
  });

  it('also takes the API name and the full logical id', async () => {
    const [byName, byLogicalId] = [await freePort(), await freePort()];
    expect(await apiUrl({ 'shop-orders': byName })).toBe(`http://127.0.0.1:${byName}`);
    expect(await apiUrl({ HttpApiF5A9A8A7: byLogicalId })).toBe(`http://127.0.0.1:${byLogicalId}`);
  });

  it('picks a free port for 0', async () => {
    expect(await apiUrl({ HttpApi: 0 })).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
  });

  it('does not take a key that is only the start of another construct id', async () => {
    const port = await freePort();
    expect(await apiUrl({ Http: port })).not.toBe(`http://127.0.0.1:${port}`);
  });
});
