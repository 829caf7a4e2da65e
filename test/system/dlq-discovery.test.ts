import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToSystem, type System } from './support/system';

/** Runs the real `breakwater-dlq` bin against the system under test, configured as an operator would. */
const runDlqBin = (
  system: System,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const { awsEndpointUrl, region } = system.description;
    const child = spawn(process.execPath, [join(process.cwd(), 'bin/breakwater-dlq.mjs'), ...args], {
      env: {
        ...process.env,
        AWS_REGION: region,
        ...(awsEndpointUrl === undefined
          ? {}
          : { AWS_ENDPOINT_URL: awsEndpointUrl, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }),
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

describe('DLQ discovery on the deployed app', () => {
  let system: System;
  beforeAll(() => {
    system = connectToSystem();
  });
  afterAll(() => system.close());

  it('`breakwater-dlq list` finds every dead-letter queue of the app (each one a `*DlqUrl` stack output)', async () => {
    const expected = Object.entries(system.description.outputs)
      .filter(([key]) => key.endsWith('DlqUrl'))
      .map(([, url]) => url.split('/').at(-1))
      .sort();
    expect(expected.length).toBeGreaterThanOrEqual(8);
    const listed = await runDlqBin(system, ['list', '--json']);
    expect(listed.code).toBe(0);
    const names = (JSON.parse(listed.stdout) as { queue: { name: string } }[]).map((dlq) => dlq.queue.name);
    expect(names.filter((name) => expected.includes(name)).sort()).toEqual(expected);
  });
});
