import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { pino } from "pino";
import { getEnv } from "~/env.server";
import { mediaDelivery } from "~/media/delivery.server";
import { metricsText } from "~/ops/metrics.server";
import { observeRequests } from "~/server/request-log.server";

/**
 * The server's request log and request metrics around a small Express app, over real loopback
 * connections: what one line holds, whose request id it carries, and what it must never hold.
 */
const route = (id: string, parentId: string | undefined, path: string | undefined) => ({
  id,
  parentId,
  path,
  index: false,
  caseSensitive: undefined,
  module: {},
});
const build = {
  publicPath: "/assets/",
  routes: {
    root: route("root", undefined, ""),
    "routes/kurser": route("routes/kurser", "root", "kurser"),
    "routes/deltag.$code": route("routes/deltag.$code", "root", "deltag/:code"),
  },
} as unknown as ServerBuild;

type Line = Record<string, unknown>;

async function serverWith(trustProxy: string | undefined) {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  const app = express();
  if (trustProxy) app.set("trust proxy", trustProxy);
  app.use(observeRequests(build, pino({ level: "info" }, sink)));
  // As in the platform's server, a cross-site request is refused before the media fast path sees it.
  app.use((req, res, next) =>
    req.get("origin") === "https://andet-sted.example" ? res.status(403).send("cross-site") : next(),
  );
  app.get("/kurser", (_req, res) => res.send("kurser"));
  app.post("/deltag/*", (_req, res) => res.send("deltaget"));
  // The real media fast path, answered before Remix: it names its own route for the log.
  app.use(mediaDelivery(getEnv()));
  app.get("/fejl", () => {
    throw new Error("the database went away");
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.err = error;
    res.status(500).send("fejl");
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, lines, close: () => new Promise((resolve) => server.close(resolve)) };
}

let server: Awaited<ReturnType<typeof serverWith>>;
afterEach(async () => {
  await server?.close();
});

describe("the request log", () => {
  it("logs method, route, path, status, duration and id, and never the token, query or cookie", async () => {
    server = await serverWith(undefined);
    const response = await fetch(`${server.origin}/media/secret-token-abc/v1/seg-0.ts?md5=signature`, {
      headers: { Cookie: "rettidig_session=s3cr3t", Authorization: "Bearer abc" },
    });
    expect(response.status).toBe(403);
    const id = response.headers.get("X-Request-Id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await vi.waitFor(() => expect(server.lines).toHaveLength(1));
    const line = server.lines[0]!;
    expect(line).toMatchObject({
      requestId: id,
      method: "GET",
      route: "media",
      path: "/media/:secret/v1/seg-0.ts",
      status: 403,
      msg: "request",
    });
    expect(typeof line.durationMs).toBe("number");
    const text = JSON.stringify(line);
    for (const secret of ["secret-token-abc", "signature", "s3cr3t", "Bearer"]) expect(text).not.toContain(secret);
  });

  it("never logs a token or code, in a single-fetch request or a refusal before the media path", async () => {
    server = await serverWith(undefined);
    const joined = await fetch(`${server.origin}/deltag/hemmelig-kode-123.data`, { method: "POST" });
    expect(joined.status).toBe(200);
    const crossSite = await fetch(`${server.origin}/media/hemmeligt-token-456/v1/master.m3u8`, {
      method: "POST",
      headers: { Origin: "https://andet-sted.example" },
    });
    expect(crossSite.status).toBe(403);
    await vi.waitFor(() => expect(server.lines).toHaveLength(2));
    expect(server.lines[0]).toMatchObject({ route: "routes/deltag.$code", path: "/deltag/:secret.data" });
    expect(server.lines[1]).toMatchObject({ route: "media", path: "/media/:secret/v1/master.m3u8", status: 403 });
    const text = JSON.stringify(server.lines);
    for (const secret of ["hemmelig-kode-123", "hemmeligt-token-456"]) expect(text).not.toContain(secret);
  });

  it("takes the proxy's request id only from a trusted proxy", async () => {
    server = await serverWith(undefined);
    const untrusted = await fetch(`${server.origin}/kurser`, { headers: { "X-Request-Id": "0123456789abcdef" } });
    expect(untrusted.status).toBe(200);
    expect(untrusted.headers.get("X-Request-Id")).not.toBe("0123456789abcdef");
    await server.close();

    server = await serverWith("loopback");
    const trusted = await fetch(`${server.origin}/kurser`, { headers: { "X-Request-Id": "0123456789abcdef" } });
    expect(trusted.status).toBe(200);
    expect(trusted.headers.get("X-Request-Id")).toBe("0123456789abcdef");
    await vi.waitFor(() => expect(server.lines.at(-1)?.requestId).toBe("0123456789abcdef"));
    // An id that is not an id (a log-injection attempt) is replaced even from a trusted proxy.
    const odd = await fetch(`${server.origin}/kurser`, { headers: { "X-Request-Id": 'x" level=60' } });
    expect(odd.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs a server error at error level with the error and the id", async () => {
    server = await serverWith(undefined);
    const response = await fetch(`${server.origin}/fejl`);
    expect(response.status).toBe(500);
    await vi.waitFor(() => expect(server.lines).toHaveLength(1));
    const line = server.lines[0]!;
    expect(line.level).toBe(50);
    expect(line.requestId).toBe(response.headers.get("X-Request-Id"));
    expect(line.route).toBe("unmatched");
    expect((line.err as { message: string }).message).toBe("the database went away");
  });
});

describe("the request metrics", () => {
  it("count each request under its route, never its address", async () => {
    server = await serverWith(undefined);
    const count = async () => {
      const { body } = await metricsText();
      const line = body
        .split("\n")
        .find((row) => row.startsWith('rettidig_http_requests_total{method="GET",route="routes/kurser",status="200"}'));
      return line ? Number(line.split(" ").at(-1)) : 0;
    };
    const before = await count();
    for (let i = 0; i < 3; i += 1) expect((await fetch(`${server.origin}/kurser?page=${i}`)).status).toBe(200);
    await vi.waitFor(async () => expect(await count()).toBe(before + 3));
    const { body } = await metricsText();
    expect(body).toContain('rettidig_http_request_duration_seconds_count{method="GET",route="routes/kurser"}');
    expect(body).not.toContain("page=");
  });
});
