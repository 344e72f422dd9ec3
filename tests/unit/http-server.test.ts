import http from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { bodyKindFinder, limitedBody } from "~/server/body-limit.server";
import { createHttpServer } from "~/server/http-server.server";
import { refuse } from "~/server/refusals.server";
import { clientAddressOf } from "~/server/security.server";

/**
 * The HTTP server's own parts, over real loopback connections where they read from one: the body
 * limit as Remix's request body, and which limit an address gets. The whole server is tested
 * from outside in tests/e2e/http-hardening.spec.ts.
 */
type Outcome = { read: "complete"; bytes: number } | { read: "failed"; tooLargeCalls: number };

/** A server that reads each request's body through limitedBody, as the platform's does, and reports how the read ended. */
async function bodyReader(limit: number) {
  const outcomes: Promise<Outcome>[] = [];
  const server = http.createServer((req, res) => {
    let tooLargeCalls = 0;
    const body = limitedBody(req, limit, () => (tooLargeCalls += 1));
    const outcome = new Response(body, { headers: { "Content-Type": "application/octet-stream" } })
      .arrayBuffer()
      .then((buffer): Outcome => ({ read: "complete", bytes: buffer.byteLength }))
      .catch((): Outcome => ({ read: "failed", tooLargeCalls }));
    outcomes.push(outcome);
    void outcome.then(() => res.end("ok"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, outcomes, close: () => new Promise((resolve) => server.close(resolve)) };
}

function send(port: number, pieces: Buffer[], { hangUp = false } = {}) {
  return new Promise<void>((resolve) => {
    const req = http.request(
      { port, host: "127.0.0.1", method: "POST", headers: { "Transfer-Encoding": "chunked" } },
      (res) => {
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", () => resolve());
    for (const piece of pieces) req.write(piece);
    if (hangUp) setTimeout(() => req.destroy(), 50);
    else req.end();
  });
}

describe("the body limit", () => {
  it("passes a body within the limit through whole", async () => {
    const server = await bodyReader(1024);
    await send(server.port, [Buffer.alloc(600), Buffer.alloc(424)]);
    expect(server.outcomes).toHaveLength(1);
    expect(await server.outcomes[0]).toEqual({ read: "complete", bytes: 1024 });
    await server.close();
  });

  it("fails the read at the first byte past the limit, and says so once", async () => {
    const server = await bodyReader(1024);
    await send(server.port, [Buffer.alloc(1000), Buffer.alloc(25), Buffer.alloc(5000)]);
    expect(server.outcomes).toHaveLength(1);
    expect(await server.outcomes[0]).toEqual({ read: "failed", tooLargeCalls: 1 });
    await server.close();
  });

  it("fails the read when the client hangs up halfway, so nothing waits for the rest for ever", async () => {
    const server = await bodyReader(1024 * 1024);
    await send(server.port, [Buffer.alloc(1000)], { hangUp: true });
    await vi.waitFor(() => expect(server.outcomes).toHaveLength(1));
    expect(await server.outcomes[0]).toEqual({ read: "failed", tooLargeCalls: 0 });
    await server.close();
  });
});

describe("refusing a form from another site", () => {
  it("reads a small body to the end, so the browser gets the answer and the connection goes on", async () => {
    const app = express();
    app.post("/", (_req, res) => refuse(res, "crossSite"));
    app.get("/", (_req, res) => res.send("again"));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const port = (server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ask = (method: string, body?: Buffer) =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = http.request(
          {
            port,
            host: "127.0.0.1",
            method,
            agent,
            headers: body ? { "Content-Length": String(body.byteLength) } : {},
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const refused = await ask("POST", Buffer.alloc(200 * 1024, "a"));
    expect(refused.status).toBe(403);
    const next = await ask("GET");
    expect(next.status).toBe(200);
    expect(next.socket).toBe(refused.socket);
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("a body that grows past its limit while it is read", () => {
  it("gets the 413 through to a client still sending, and its reader fails", async () => {
    const reads: Promise<string>[] = [];
    const app = express();
    app.post("/", (req, res) => {
      const body = limitedBody(req, 16 * 1024, () => refuse(res, "tooLarge"));
      reads.push(
        new Response(body).arrayBuffer().then(
          () => "complete",
          () => "failed",
        ),
      );
    });
    const server = createHttpServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;

    const answer = await new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
      const req = http.request(
        { port, host: "127.0.0.1", method: "POST", headers: { "Transfer-Encoding": "chunked" }, agent: false },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on("error", (error) => resolve({ error: error.message }));
        },
      );
      req.on("error", (error) => resolve({ error: error.message }));
      // Keeps sending well past the limit, as a browser uploading a large file would.
      const sending = setInterval(
        () => (req.destroyed ? clearInterval(sending) : req.write(Buffer.alloc(32 * 1024))),
        5,
      );
    });
    expect(answer).toMatchObject({ status: 413 });
    expect("body" in answer && answer.body).toContain("<html");
    expect(reads).toHaveLength(1);
    expect(await reads[0]).toBe("failed");
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("ending a connection while the client is still sending", () => {
  /**
   * A client in a thread of its own (the race needs the client to keep writing while the server
   * answers and closes): posts 2 MiB as fast as the connection takes them, asking for
   * `Connection: close` (no agent), stops at the answer, and reports each answer's status or error.
   */
  const clientScript = `
    const http = require("node:http");
    const { parentPort, workerData } = require("node:worker_threads");
    const post = () => new Promise((resolve) => {
      const req = http.request({ port: workerData.port, host: "127.0.0.1", method: "POST", agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      });
      req.on("error", (error) => resolve(error.code || error.message));
      const piece = Buffer.alloc(64 * 1024, "a");
      let sent = 0;
      const write = () => {
        while (sent < 2 * 1024 * 1024) {
          sent += piece.byteLength;
          if (!req.write(piece)) return void req.once("drain", write);
        }
        req.end();
      };
      req.on("response", () => (sent = Infinity));
      write();
    });
    (async () => {
      const outcomes = [];
      for (let attempt = 0; attempt < workerData.attempts; attempt += 1) outcomes.push(await post());
      parentPort.postMessage(outcomes);
    })();
  `;

  it("gets an answer given before the body was read through to the client every time", async () => {
    // A route that answers without reading the body, as a sign-in redirect does.
    const server = createHttpServer((_req, res) => res.writeHead(302, { Location: "/log-ind" }).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const client = new Worker(clientScript, { eval: true, workerData: { port, attempts: 40 } });
    const outcomes = await new Promise<(number | string)[]>((resolve, reject) => {
      client.once("message", resolve);
      client.once("error", reject);
    });
    await client.terminate();
    expect(outcomes).toHaveLength(40);
    expect(outcomes.filter((outcome) => outcome !== 302)).toEqual([]);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("which limit an address gets", () => {
  const route = (
    id: string,
    parentId: string | undefined,
    path: string | undefined,
    handle?: unknown,
    index = false,
  ) => ({
    id,
    parentId,
    path,
    index,
    caseSensitive: undefined,
    module: { handle },
  });
  // The shape of the real build's routes: a film page with its piece route nested under it, as flat routes nest them.
  const build = {
    routes: {
      root: route("root", undefined, ""),
      "routes/log-ind": route("routes/log-ind", "root", "log-ind"),
      "routes/film": route("routes/film", "root", "ejer/studie/moduler/:moduleId/film", { requestBody: "film" }),
      "routes/film.dele": route("routes/film.dele", "routes/film", "dele", { requestBody: "filmPiece" }),
      "routes/import": route("routes/import", "root", "administration/import", { requestBody: "csvFile" }),
      "routes/_index": route("routes/_index", "root", undefined, undefined, true),
    },
  } as unknown as ServerBuild;
  const kindAt = bodyKindFinder(build);
  const at = (address: string) => kindAt(new URL(address, "http://localhost"));

  it("is the deepest route's own word, and a form's for routes that say nothing", () => {
    expect(at("/log-ind")).toBe("form");
    expect(at("/")).toBe("form");
    expect(at("/ejer/studie/moduler/7/film")).toBe("film");
    expect(at("/ejer/studie/moduler/7/film/dele")).toBe("filmPiece");
    expect(at("/administration/import")).toBe("csvFile");
    expect(at("/findes/ikke")).toBe("form");
  });

  it("is the same for a single-fetch data request as for its page", () => {
    expect(at("/administration/import.data")).toBe("csvFile");
    expect(at("/_root.data")).toBe("form");
  });

  it("follows the address as resolved, so dot segments cannot borrow a larger limit", () => {
    expect(at("/ejer/studie/moduler/7/film/../../../../../log-ind")).toBe("form");
    expect(at("/log-ind/../ejer/studie/moduler/7/film/dele")).toBe("filmPiece");
  });
});

describe("who is asking, as the rate limits count it", () => {
  const from = (ip: string) => clientAddressOf({ ip, socket: {} } as never);

  it("is the IPv4 address, also when it comes mapped into IPv6", () => {
    expect(from("192.0.2.7")).toBe("192.0.2.7");
    expect(from("::ffff:192.0.2.7")).toBe("192.0.2.7");
  });

  it("is the /64 network of an IPv6 address, however it is written", () => {
    expect(from("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(from("2001:0db8:0001:0002::ffff")).toBe("2001:db8:1:2::/64");
    expect(from("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(from("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });
});
