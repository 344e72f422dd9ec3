import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { TLSSocket } from "node:tls";
import { inject } from "vitest";
import { nginxSecureLinks } from "~/media/edge-links.server";
import { nginxConfigFromReadme, startNginx, type TestNginx } from "../fakes/nginx";
import { projectRoot } from "../setup/paths";

/** A GET through nginx that trusts only the test's own certificate. */
function get(url: string, ca?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; tls?: string }>(
    (resolve, reject) => {
      const client = url.startsWith("https:") ? https : http;
      const request = client.get(url, { ca }, (response) => {
        const tls = response.socket instanceof TLSSocket ? (response.socket.getProtocol() ?? undefined) : undefined;
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            tls,
          }),
        );
      });
      request.on("error", reject);
    },
  );
}

/** A film's segment in the media folder nginx is given, readable by nginx's workers. */
function writeSegment(mediaDir: string) {
  const file = path.join(mediaDir, "some-film/v1/720p/seg_00000.ts");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "segment bytes");
  for (let folder = path.dirname(file); folder.startsWith(mediaDir); folder = path.dirname(folder))
    fs.chmodSync(folder, 0o755);
  fs.chmodSync(mediaDir, 0o755);
}

/** A link to that segment for person 5, valid for a minute, as the platform signs it with `secret`. */
function edgeLink(origin: string, secret: string) {
  const sign = nginxSecureLinks(`${origin}/edge`, secret)({ slug: "some-film", version: "v1", userId: 5 });
  return sign("720p/seg_00000.ts", Math.floor(Date.now() / 1000) + 60);
}

/**
 * The pages whose address holds a code or token that opens something (the Remix routes with a
 * $token or $code part), each with such a value filled in: the access log must hide every one.
 */
function secretPageAddresses() {
  return fs
    .readdirSync(path.join(projectRoot, "app/routes"))
    .filter((name) => /\$(token|code)\b/.test(name))
    .map(
      (name) =>
        "/" +
        name
          .replace(/\.tsx?$/, "")
          .split(".")
          .filter((part) => !part.startsWith("_"))
          .map((part) => (part.startsWith("$") ? `hemmelig-${part.slice(1)}-0123` : part.replace(/_$/, "")))
          .join("/"),
    );
}

describe("the README's nginx configuration, run by Debian's nginx", () => {
  let nginx: TestNginx;
  let app: http.Server;
  let mediaDir: string;
  const seen: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    // A stand-in upstream that reports what nginx forwarded to it.
    app = http.createServer((request, response) => {
      seen.push(request.headers);
      response.setHeader("Content-Type", "text/plain");
      response.end(`upstream saw ${request.url}`);
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    mediaDir = path.join(inject("runDir"), "nginx-config-media");
    writeSegment(mediaDir);
    // As the README's configuration starts on a server that has not set up the edge tier: no secret file.
    nginx = await startNginx(path.join(inject("runDir"), "nginx-config"), {
      appPort: (app.address() as AddressInfo).port,
      mediaDir,
    });
  });

  afterAll(async () => {
    await nginx?.stop();
    await new Promise((resolve) => app?.close(resolve));
  });

  it("is read from README.md as one nginx block", () => {
    const config = nginxConfigFromReadme();
    expect(config).toContain("ssl_certificate");
    expect(config).toContain("secure_link_md5");
    expect(config).toContain("internal;");
  });

  it("serves the platform over TLS 1.2 or newer and passes on who asked and how", async () => {
    const response = await get(`${nginx.httpsOrigin}/kurser?x=1`, nginx.certificatePem);
    expect(response.status).toBe(200);
    expect(response.body).toBe("upstream saw /kurser?x=1");
    expect(response.tls).toMatch(/^TLSv1\.[23]$/);
    const headers = seen.at(-1) ?? {};
    expect(headers["x-forwarded-proto"]).toBe("https");
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("sends plain HTTP to https", async () => {
    const response = await get(`${nginx.httpOrigin}/kurser`);
    expect(response.status).toBe(301);
    expect(response.headers.location).toMatch(/^https:\/\/127\.0\.0\.1(:\d+)?\/kurser$/);
  });

  it("never serves the offload location to a browser", async () => {
    const response = await get(`${nginx.httpsOrigin}/_media/anything/master.m3u8`, nginx.certificatePem);
    expect(response.status).toBe(404);
  });

  it("refuses an edge link without a signature", async () => {
    const response = await get(`${nginx.httpsOrigin}/edge/some-film/v1/720p/seg_00000.ts`, nginx.certificatePem);
    expect(response.status).toBe(403);
  });

  it("keeps the edge closed until a secret of at least 32 characters is set: none, or a placeholder, opens nothing", async () => {
    // Without the secret file the secret is empty, and a link signed with the empty secret is refused.
    const unset = await get(edgeLink(nginx.httpsOrigin, ""), nginx.certificatePem);
    expect(unset.status).toBe(403);

    const appPort = (app.address() as AddressInfo).port;
    for (const [secret, status] of [
      ["...", 403],
      ["kort-hemmelighed", 403],
      ["a-generated-secret-of-the-config-test-0123456789", 200],
    ] as const) {
      const withSecret = await startNginx(path.join(inject("runDir"), "nginx-config-secret"), {
        appPort,
        mediaDir,
        edgeSecret: secret,
      });
      try {
        const response = await get(edgeLink(withSecret.httpsOrigin, secret), withSecret.certificatePem);
        expect(response.status, `secret ${secret}`).toBe(status);
        if (status === 200) expect(response.body).toBe("segment bytes");
      } finally {
        await withSecret.stop();
      }
    }
  });

  it("writes an access log without media tokens, mailed codes, query strings or referrers", async () => {
    const before = nginx.accessLog().split("\n").filter(Boolean).length;
    const pages = secretPageAddresses();
    expect(pages).toEqual(expect.arrayContaining(["/deltag/hemmelig-token-0123", "/bevis/hemmelig-code-0123"]));
    const requests: [url: string, status: number, logged: string][] = [
      [
        `${nginx.httpsOrigin}/media/hemmeligt-token-456/v1/720p/index.m3u8?x=1`,
        200,
        "/media/:secret/v1/720p/index.m3u8",
      ],
      [`${nginx.httpOrigin}/media/hemmeligt-token-789/v1/master.m3u8`, 301, "/media/:secret/v1/master.m3u8"],
      [`${nginx.httpsOrigin}/media/hemmeligt-token-000`, 200, "/media/:secret"],
      [edgeLink(nginx.httpsOrigin, ""), 403, "/edge/some-film/v1/720p/seg_00000.ts"],
      [`${nginx.httpsOrigin}/kurser?side=hemmelig-side`, 200, "/kurser"],
      ...pages.flatMap((page): [string, number, string][] => {
        const logged = page.replace(/hemmelig-[a-z]+-0123/, ":secret");
        return [
          [`${nginx.httpsOrigin}${page}`, 200, logged],
          [`${nginx.httpsOrigin}${page}.data`, 200, `${logged}.data`],
        ];
      }),
    ];
    for (const [url, status] of requests) {
      const response = await new Promise<number>((resolve, reject) => {
        const client = url.startsWith("https:") ? https : http;
        client
          .get(
            url,
            { ca: nginx.certificatePem, headers: { Referer: `${nginx.httpsOrigin}/nulstil?kode=hemmelig-referer` } },
            (res) => {
              res.resume();
              res.on("end", () => resolve(res.statusCode ?? 0));
            },
          )
          .on("error", reject);
      });
      expect(response, url).toBe(status);
    }
    // nginx writes a request's line once its answer is sent, so the last one may trail the answer.
    await vi.waitFor(() => expect(nginx.accessLog().split("\n").filter(Boolean).length).toBe(before + requests.length));
    const lines = nginx.accessLog().split("\n").filter(Boolean).slice(before);
    for (const [index, [url, status, logged]] of requests.entries())
      expect(lines[index], url).toMatch(new RegExp(`"GET ${logged.replace(/[.]/g, "\\.")} HTTP/[\\d.]+" ${status} `));
    const log = lines.join("\n");
    for (const secret of ["hemmelig", "u=5", "expires=", "md5=", "?"]) expect(log).not.toContain(secret);
  });
});
