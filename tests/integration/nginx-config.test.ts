import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { TLSSocket } from "node:tls";
import { inject } from "vitest";
import { nginxConfigFromReadme, startNginx, type TestNginx } from "../fakes/nginx";

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

describe("the README's nginx configuration, run by Debian's nginx", () => {
  let nginx: TestNginx;
  let app: http.Server;
  const seen: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    // A stand-in upstream that reports what nginx forwarded to it.
    app = http.createServer((request, response) => {
      seen.push(request.headers);
      response.setHeader("Content-Type", "text/plain");
      response.end(`upstream saw ${request.url}`);
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const mediaDir = path.join(inject("runDir"), "nginx-config-media");
    fs.mkdirSync(mediaDir, { recursive: true });
    nginx = await startNginx(path.join(inject("runDir"), "nginx-config"), {
      appPort: (app.address() as AddressInfo).port,
      mediaDir,
      edgeSecret: "edge-secret-for-the-config-test-0123456789",
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
});
