import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { importInstalled } from "./installed";
import { bundleScenario, type RuntimeConsumer, type ScenarioOutput } from "./runtime-consumer";

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * The scenario's page bundled from the consumer's installed ESM build for the browser, served from
 * one loopback origin with the mock server on another, run in headless Chromium (CORS, streaming).
 * The mock server must see the page's origin and no custom headers a strict gateway's preflight
 * would refuse.
 */
export const BROWSER_CONSUMER: RuntimeConsumer = {
  name: "browser (headless Chromium)",
  readmeClaim: "headless Chromium",
  notes: "cross-origin page → mock server, CORS and streaming",
  async run(ctx) {
    await ctx.install();
    const { dir, resources } = ctx;
    await bundleScenario(dir, "page.ts", { platform: "browser", outfile: "dist/page.js" });
    const html =
      '<!doctype html><html><head><meta charset="utf-8"><title>consumer</title></head><body><script type="module" src="/page.js"></script></body></html>';
    const script = readFileSync(join(dir, "dist", "page.js"));
    const pages = createServer((req, res) => {
      if (req.url?.startsWith("/page.js")) res.writeHead(200, { "content-type": "text/javascript" }).end(script);
      else res.writeHead(200, { "content-type": "text/html" }).end(html);
    });
    await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
    resources.defer(() => new Promise<void>((resolve) => pages.close(() => resolve())));

    const { createMockServer } = await importInstalled<typeof import("@aimlapi-sdk/mock-server")>(dir, "mock-server");
    const mock = await createMockServer();
    resources.defer(() => mock.close());

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    resources.defer(() => browser.close());
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/index.html?api=${encodeURIComponent(mock.url)}`;
    await page.goto(pageUrl);
    const result = (await page.evaluate("window.result")) as ScenarioOutput & { origin: string };
    if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
    const sawOrigin = String(mock.requests[0]?.headers.origin ?? "");
    if (sawOrigin !== result.origin) throw new Error(`the mock server saw origin ${sawOrigin}, the page is ${result.origin}`);
    // A CORS request with nothing a strict gateway's preflight would refuse: no telemetry (x-*)
    // headers beyond the fault header the scenario itself sets.
    const custom = mock.requests.flatMap((r) =>
      Object.keys(r.headers).filter((name) => name.startsWith("x-") && name !== "x-mock-fault"),
    );
    if (custom.length > 0) throw new Error(`the browser sent custom headers: ${custom.join(", ")}`);
    console.log(`browser: Chromium ${browser.version()}, page at ${result.origin}`);
    return result;
  },
};
