/**
 * `fetchOptions` reach `fetch` on every attempt: with undici's ProxyAgent as the dispatcher, every
 * request (JSON, stream, retries, the typed POST) goes through a real HTTP proxy on 127.0.0.1 (the
 * `proxy` package) to the mock server, and none goes around it. And no telemetry headers are sent.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createProxy, type ProxyServer } from "proxy";
import { ProxyAgent } from "undici";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fault, hello, helloStream, MOCK_REPLY, useMockServer } from "./helpers/mock";

const mock = useMockServer();
let proxy: ProxyServer;
let proxyUrl = "";
let forwarded = 0;

beforeAll(async () => {
  proxy = createProxy(createServer());
  proxy.on("request", () => forwarded++);
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

/** Every request the mock saw came through the proxy (it adds a `Via` header naming itself). */
function allViaProxy(): boolean {
  const requests = mock.server().requests;
  return requests.length > 0 && requests.every((r) => /\(proxy\/4\.1\.0\)/.test(String(r.headers.via)));
}

describe("fetchOptions", () => {
  test("a client-wide dispatcher sends JSON, streams, retries and the typed POST through the proxy", async () => {
    // proxyTunnel: false makes the proxy forward each request itself (and mark it), rather than tunnel.
    const dispatcher = new ProxyAgent({ uri: proxyUrl, proxyTunnel: false });
    try {
      const client = mock.client({ fetchOptions: { dispatcher } });
      const before = forwarded;
      expect((await client.chat.completions.create(hello)).choices[0]?.message.content).toBe(MOCK_REPLY);
      let text = "";
      for await (const chunk of await client.chat.completions.create(helloStream)) text += chunk.choices[0]?.delta?.content ?? "";
      expect(text).toBe(MOCK_REPLY);
      await client.chat.completions.create(hello, fault("status=503; times=1; retry-after-ms=1"));
      const { data } = await client.POST("/v1/chat/completions", { body: hello });
      expect(data?.choices[0]?.message.content).toBe(MOCK_REPLY);
      expect(mock.server().requests).toHaveLength(5);
      expect(forwarded - before).toBe(5);
      expect(allViaProxy()).toBe(true);
    } finally {
      await dispatcher.close();
    }
  });

  test("per call, over the client's; and the default CONNECT tunnel works too", async () => {
    const dispatcher = new ProxyAgent({ uri: proxyUrl, proxyTunnel: false });
    const tunnel = new ProxyAgent(proxyUrl);
    let tunnels = 0;
    const count = () => tunnels++;
    proxy.on("connect", count);
    try {
      const client = mock.client();
      await client.chat.completions.create(hello, { fetchOptions: { dispatcher } });
      expect(allViaProxy()).toBe(true);
      // Without fetchOptions the same client goes direct.
      await client.chat.completions.create(hello);
      expect(mock.server().requests.at(-1)?.headers.via).toBeUndefined();
      const tunnelled = mock.client({ fetchOptions: { dispatcher: tunnel } });
      for await (const _ of await tunnelled.chat.completions.create(helloStream));
      expect(tunnels).toBe(1);
    } finally {
      proxy.off("connect", count);
      await Promise.all([dispatcher.close(), tunnel.close()]);
    }
  });
});

describe("no telemetry headers", () => {
  test("only what the request needs: auth, content type, accept — no x-stainless-* or other x- headers", async () => {
    const client = mock.client();
    await client.chat.completions.create(hello);
    for await (const _ of await client.chat.completions.create(helloStream));
    await client.POST("/v1/chat/completions", { body: hello });
    // What undici itself adds (host, connection, length, encoding, language, fetch mode, user agent) is allowed.
    const allowed = new Set([
      "authorization",
      "content-type",
      "accept",
      "host",
      "connection",
      "content-length",
      "accept-encoding",
      "accept-language",
      "sec-fetch-mode",
      "user-agent",
    ]);
    for (const request of mock.server().requests) {
      expect(Object.keys(request.headers).filter((name) => !allowed.has(name))).toEqual([]);
    }
  });
});
