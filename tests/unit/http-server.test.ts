import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { bodyKindFinder, limitedBody } from "~/server/body-limit.server";
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
    const req = http.request({ port, host: "127.0.0.1", method: "POST", headers: { "Transfer-Encoding": "chunked" } }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
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

describe("which limit an address gets", () => {
  const route = (id: string, parentId: string | undefined, path: string | undefined, handle?: unknown, index = false) => ({
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
