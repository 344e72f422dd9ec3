import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import express from "express";
import { parseEnv } from "~/env.server";
import { mediaDelivery, type MediaDeliveryOptions } from "~/media/delivery.server";
import { moduleMediaDir } from "~/media/library.server";
import { mediaBucket, versionObjectKey } from "~/media/media-store.server";

/** Where the films are kept (MEDIA_STORAGE); a test file runs its cases in both, with ownMediaBucket for s3. */
export type MediaStorage = "local" | "s3";
export const MEDIA_STORAGES: MediaStorage[] = ["local", "s3"];

/**
 * Puts one file of a film version where `storage` keeps it: under MEDIA_DIR, or as its key in the
 * test file's own bucket (ownMediaBucket, called at the top of the file).
 */
export async function writeMediaFile(
  storage: MediaStorage,
  { slug, version }: { slug: string; version: string },
  relative: string,
  content: string | Buffer,
) {
  if (storage === "local") {
    const file = path.join(moduleMediaDir(slug, version), relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return;
  }
  const bucket = mediaBucket();
  if (!bucket) throw new Error("MEDIA_STORAGE=s3 needs ownMediaBucket at the top of the test file");
  const key = versionObjectKey(slug, version, relative);
  if (typeof content === "string") return bucket.putText(key, content);
  // Bytes go up as a file, the way the worker uploads them.
  const staged = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "media-fixture-")), "file");
  fs.writeFileSync(staged, content);
  try {
    await bucket.putFile(key, staged);
  } finally {
    fs.rmSync(path.dirname(staged), { recursive: true, force: true });
  }
}

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
