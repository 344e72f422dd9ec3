import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import express from "express";
import { parseEnv } from "~/env.server";
import { mediaDelivery, type MediaDeliveryOptions } from "~/media/delivery.server";

/**
 * The media fast path in a bare Express app on a loopback port, as createServerApp mounts it, with
 * the settings given over the test's environment: no Remix build is needed, so it runs on a fresh clone.
 */
export async function startMediaServer(
  settings: Record<string, string> = {},
  { port: listenPort = 0, ...options }: MediaDeliveryOptions & { port?: number } = {},
) {
  const app = express();
  app.use(mediaDelivery(parseEnv({ ...process.env, ...settings }), options));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type MediaServer = Awaited<ReturnType<typeof startMediaServer>>;

/**
 * A request for exactly this path (no dot segments resolved, unlike fetch), answered as a fetch
 * Response. `ca` trusts a test's self-signed certificate for https.
 */
export function rawGet(
  url: string,
  {
    cookie,
    headers = {},
    method = "GET",
    ca,
  }: { cookie?: string; headers?: Record<string, string>; method?: string; ca?: string } = {},
): Promise<Response> {
  const target = new URL(url);
  const path = url.slice(target.origin.length);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method,
        ca,
        headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          const headerList = Object.entries(response.headers).flatMap(([name, value]) =>
            value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value] as [string, string]],
          );
          const empty = status === 204 || status === 304 || method === "HEAD";
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: headerList }));
        });
      },
    );
    request.on("error", reject);
    request.end();
  });
}
