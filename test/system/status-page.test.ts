import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveConfig, writeManualState } from '@breakwater/circuit-breaker';
import { DynamoDbCircuitStore } from '@breakwater/circuit-breaker/dynamodb';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayAdminClient } from '../../local/gateway';
import { PAYMENT_GATEWAY_CIRCUIT_ID } from '../../shared/payment-gateway/circuit';
import { placeOrders, statuses } from './support/payments';
import { connectToSystem, eventually, type System } from './support/system';

/** Debian's chromium (local/bin/ensure-prerequisites.sh --browser installs it); never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
/** Where the screenshot is kept (git-ignored). */
export const STATUS_PAGE_SCREENSHOT = resolve(import.meta.dirname, '../../test-artifacts/status-page.png');

// The status page in a real browser: it loads from the local cloud's edge, shows the deployed topology, and shows
// the payment circuit opening during a gateway outage, with its alarm and notification. The page is the local
// cloud's, so this runs locally only.
describe.runIf(!process.env.BREAKWATER_TARGET || process.env.BREAKWATER_TARGET === 'local')(
  'status page (headless Chromium)',
  () => {
    let system: System;
    let gateway: GatewayAdminClient;
    let store: DynamoDbCircuitStore;
    let userDataDir: string;
    let browser: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      system = connectToSystem();
      if (system.gateway === undefined) throw new Error('this test needs the fake gateway admin API');
      gateway = system.gateway;
      store = new DynamoDbCircuitStore({
        client: system.dynamodb,
        tableName: system.output('BreakerTableName'),
      });
      await gateway.reset();
      if (!existsSync(CHROMIUM)) {
        throw new Error(`${CHROMIUM} is missing: run bash local/bin/ensure-prerequisites.sh --browser`);
      }
      userDataDir = await mkdtemp(join(tmpdir(), 'breakwater-chromium-'));
      // A fresh profile, and the flags this machine's chromium needs headless (no sandbox, no GPU, no background
      // traffic). launchPersistentContext owns --user-data-dir.
      browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1440, height: 1100 },
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = browser.pages()[0] ?? (await browser.newPage());
    });

    afterAll(async () => {
      await gateway?.endOutage();
      // Leave the circuit closed for the files that follow, whatever this test reached.
      if (store !== undefined) {
        await writeManualState(store, PAYMENT_GATEWAY_CIRCUIT_ID, 'CLOSED', {
          reason: 'status page test: closed after its outage',
          config: resolveConfig(),
          now: Date.now,
        }).catch(() => undefined);
      }
      await browser?.close();
      if (userDataDir !== undefined) await rm(userDataDir, { recursive: true, force: true });
      system?.close();
    });

    it('shows the deployed topology, then the payment circuit opening in a gateway outage, its notice and an order (screenshot kept)', async () => {
      const url = `${system.description.awsEndpointUrl}/_breakwater/`;
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      await page.waitForSelector('body[data-loaded="true"]', { timeout: 30_000 });
      // The app's own name, which Breakwater's layer gives the local cloud's page.
      expect(await page.locator('#app-title').textContent()).toBe('Breakwater');
      expect(await page.title()).toBe('Breakwater · local cloud status');
      expect(await page.locator('#trace-title').textContent()).toBe('Trace an order');

      // Topology: each consumer rule → its queue → its function, with its DLQs; the stream and the schedule.
      const flows = await page
        .locator('[data-testid=flow]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-flow')));
      expect(flows).toEqual(
        expect.arrayContaining([
          'billing',
          'order-status',
          'notifications',
          'orders-outbox',
          'orders-outbox-sweeper',
        ]),
      );
      const billingRow = page.locator('[data-testid=flow][data-flow=billing]');
      expect(await billingRow.locator('.node.queue').count()).toBe(1);
      expect(await billingRow.locator('.node.dlq').allTextContents()).toEqual([
        expect.stringContaining('billing DLQ'),
        expect.stringContaining('billing target DLQ'),
      ]);

      // A gateway outage: billing's calls fail until the circuit opens, and the page shows it.
      await gateway.startOutage();
      const orders = await placeOrders(system, 'status-page', 12);
      const state = page.locator('[data-testid=circuit-payment-gateway] [data-testid=circuit-state]');
      await expect
        .poll(async () => ((await state.count()) === 0 ? 'absent' : await state.textContent()), {
          timeout: 90_000,
          interval: 500,
        })
        .toBe('OPEN');
      expect(await page.locator('#gateway-state').textContent()).toBe('OUTAGE');
      expect(Number(await page.locator('[data-testid=gateway-requests]').textContent())).toBeGreaterThan(0);
      expect(await page.locator('[data-testid=circuit-payment-gateway] .seg.s-OPEN').count()).toBeGreaterThan(
        0,
      );

      // The trip as an alarm (a notice) and its notification, from the local CloudWatch and SNS inbox.
      const tripAlarm = page.locator('[data-testid=alarm-billing-breaker-not-closed]');
      await expect
        .poll(
          async () =>
            (await tripAlarm.count()) === 0
              ? 'absent'
              : await tripAlarm.locator('[data-testid=alarm-state]').textContent(),
          {
            timeout: 60_000,
            interval: 500,
          },
        )
        .toBe('ALARM');
      expect(await tripAlarm.locator('.tag').allTextContents()).toEqual(['notice']);
      await expect
        .poll(
          async () =>
            (await page.locator('[data-testid=notification]').allTextContents()).some((text) =>
              /notice.*ALARM.*billing-breaker-not-closed/.test(text),
            ),
          { timeout: 30_000, interval: 500 },
        )
        .toBe(true);

      // An order's path: traced by its id across the functions that logged it so far.
      await page.fill('#trace-id', orders[0]!.orderId);
      await page.click('#trace-form button');
      await page.waitForSelector('#trace .step', { timeout: 10_000 });
      // It starts where the order was created, and reaches the consumers of its order.created event.
      const steps = await page.locator('#trace .step .node-name').allTextContents();
      expect(steps[0]).toBe('orders-api');
      expect(steps).toEqual(expect.arrayContaining(['outbox-publisher', 'notifications', 'billing']));

      await mkdir(resolve(STATUS_PAGE_SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: STATUS_PAGE_SCREENSHOT, fullPage: true });
      expect((await stat(STATUS_PAGE_SCREENSHOT)).size).toBeGreaterThan(10_000);
      console.log(`status page screenshot: ${STATUS_PAGE_SCREENSHOT}`);

      // Recovery, so the orders are paid before the next file runs.
      await gateway.endOutage();
      await writeManualState(store, PAYMENT_GATEWAY_CIRCUIT_ID, 'CLOSED', {
        reason: 'status page test: the gateway is back',
        config: resolveConfig(),
        now: Date.now,
      });
      await expect.poll(async () => state.textContent(), { timeout: 30_000, interval: 500 }).toBe('CLOSED');
      await eventually(
        'every order paid',
        async () =>
          (await statuses(system, orders)).every((status) => status === 'PAID') ? true : undefined,
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
    });
  },
);
