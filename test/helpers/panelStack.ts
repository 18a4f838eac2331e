import {mkdir} from "node:fs/promises";
import path from "node:path";
import type {BrowserContext} from "playwright-core";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {launchBrowser} from "./browser.js";
import {type RunningDemo, startDemo} from "./demo.js";
import {type IngressProxy, startIngressProxy} from "./ingressProxy.js";

/** Where the browser tests' screenshots go. */
export const SHOTS = path.join(PACKAGE_ROOT, "test-artifacts", "panel");

export interface PanelStack {
  demo: RunningDemo;
  /** Home Assistant's ingress, as far as the panel can tell: pages are opened through it. */
  proxy: IngressProxy;
  browser: BrowserContext;
  /** Closes the browser and the proxy, then stops the demo: resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** The demo, behind an ingress-like path prefix, and a headless Chromium to look at it with. */
export async function startPanelStack(chromium: string): Promise<PanelStack> {
  const demo = await startDemo();
  const proxy = await startIngressProxy(demo.panelUrl);
  const browser = await launchBrowser(chromium);
  await mkdir(SHOTS, {recursive: true});
  return {
    demo,
    proxy,
    browser,
    stop: async () => {
      await browser.close();
      await proxy.close();
      return demo.stop();
    },
  };
}
