import http from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD } from "~/cli/seed/accounts";

/**
 * What the issue's `curl -si` checks look for, asked of the real server over HTTP: where
 * redirects lead, cross-site and oversized POSTs, and the security headers on pages and on data
 * requests. No browser: these are the requests an attacker would send by hand.
 */
const SITE = `http://localhost:${process.env.E2E_PORT ?? 3100}`;

const offSite = [
  "//evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example/x",
  "https://evil.example/",
];

function staysOnSite(location: string | undefined) {
  expect(location, "a redirect has a Location").toBeTruthy();
  return new URL(location!, SITE).origin === SITE;
}

async function post(
  request: APIRequestContext,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = { Origin: SITE },
) {
  return request.post(path, { form, headers, maxRedirects: 0 });
}

test.describe("redirects", () => {
  for (const redirectTo of offSite) {
    test(`choosing a language with redirectTo ${redirectTo} stays on the site`, async ({ request }) => {
      const response = await post(request, "/sprog", { language: "en", redirectTo });
      expect(response.status()).toBe(302);
      expect(staysOnSite(response.headers().location)).toBe(true);
      expect(response.headers().location).toBe("/");
    });
  }

  test("signing in with a crafted redirectTo lands on the course list", async ({ playwright }) => {
    for (const redirectTo of offSite) {
      // A fresh client each time: signed in, /log-ind would send it on before reading the form.
      const client = await playwright.request.newContext({ baseURL: SITE });
      const response = await post(client, "/log-ind", {
        email: "leder@demo-kommune.dk",
        password: DEMO_PASSWORD,
        redirectTo,
      });
      expect(response.status(), redirectTo).toBe(302);
      expect(response.headers().location, redirectTo).toBe("/kurser");
      await client.dispose();
    }
  });
});

test.describe("cross-site requests", () => {
  test("a sign-in posted from another site is refused with a Danish page", async ({ request }) => {
    const response = await post(
      request,
      "/log-ind",
      { email: "leder@demo-kommune.dk", password: DEMO_PASSWORD },
      { Origin: "https://evil.example" },
    );
    expect(response.status()).toBe(403);
    expect(response.headers()["set-cookie"]).toBeUndefined();
    expect(await response.text()).toContain("Formularen blev sendt fra en anden hjemmeside end Rettidig");
  });

  test("the browser's own word for a cross-site request is enough", async ({ request }) => {
    const bySecFetch = await post(
      request,
      "/log-ind",
      { email: "a@b.dk", password: "x" },
      { "Sec-Fetch-Site": "cross-site" },
    );
    expect(bySecFetch.status()).toBe(403);
    const sameSite = await post(
      request,
      "/log-ind",
      { email: "a@b.dk", password: "x" },
      { "Sec-Fetch-Site": "same-site", Origin: "https://kommune.rettidig.dk" },
    );
    expect(sameSite.status()).toBe(403);
    const nullOrigin = await post(request, "/log-ind", { email: "a@b.dk", password: "x" }, { Origin: "null" });
    expect(nullOrigin.status()).toBe(403);
  });

  test("the progress beacon and sign-out refuse other sites too", async ({ request }) => {
    const beacon = await request.post("/api/progress", {
      data: "{}",
      headers: { Origin: "https://evil.example", "Content-Type": "text/plain" },
    });
    expect(beacon.status()).toBe(403);
    const signOut = await post(request, "/log-ud", {}, { Origin: "https://evil.example" });
    expect(signOut.status()).toBe(403);
  });

  test("a same-origin sign-in still reaches the form", async ({ request }) => {
    const response = await post(
      request,
      "/log-ind",
      { email: "leder@demo-kommune.dk", password: "forkert-adgangskode" },
      { Origin: SITE, "Sec-Fetch-Site": "same-origin" },
    );
    expect(response.status()).toBe(401);
  });
});

/**
 * Sends a body in 64 KiB pieces without saying its length (chunked), as a slow attacker would, on
 * a connection of its own: a kept-alive one left by an earlier refusal could be reset under it.
 */
function postChunked(path: string, totalBytes: number) {
  return new Promise<{ status: number; elapsedMs: number; body: string }>((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      `${SITE}${path}`,
      { method: "POST", agent: false, headers: { Origin: SITE, "Content-Type": "application/x-www-form-urlencoded" } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, elapsedMs: performance.now() - started, body }));
      },
    );
    req.on("error", reject);
    const piece = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const write = () => {
      while (sent < totalBytes) {
        sent += piece.byteLength;
        if (!req.write(piece)) return void req.once("drain", write);
      }
      req.end();
    };
    // The server may answer and close before everything is sent; that is the point.
    req.on("response", () => (sent = totalBytes));
    write();
  });
}

test.describe("request bodies", () => {
  test("a 20 MB sign-in is refused with 413 from its declared length", async ({ request }) => {
    const started = performance.now();
    const response = await request.post("/log-ind", {
      data: Buffer.alloc(20 * 1024 * 1024, "a"),
      headers: { Origin: SITE, "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(response.status()).toBe(413);
    expect(await response.text()).toContain("større, end siden tager imod");
    console.log(
      `20 MB POST /log-ind with Content-Length: ${response.status()} after ${(performance.now() - started).toFixed(0)} ms`,
    );
  });

  test("a 20 MB sign-in sent in chunks is refused with 413 while it is read", async () => {
    const { status, elapsedMs, body } = await postChunked("/log-ind", 20 * 1024 * 1024);
    expect(status).toBe(413);
    expect(body).toContain("større, end siden tager imod");
    console.log(`20 MB chunked POST /log-ind: ${status} after ${elapsedMs.toFixed(0)} ms`);
  });

  test("a route that takes larger bodies says so, and only it gets them", async () => {
    // 2 MiB is too much for a form, but a film piece is 8 MiB: the upload route answers for itself
    // (here: sign in first), where the sign-in form gets the server's 413.
    const toForm = await postChunked("/log-ind", 2 * 1024 * 1024);
    expect(toForm.status).toBe(413);
    const toFilmPieces = await postChunked("/ejer/studie/moduler/1/film/dele", 2 * 1024 * 1024);
    // The route's own answer to someone not signed in, not the server's refusal of the body.
    expect(toFilmPieces.status).toBe(302);
  });

  test("an oversized webhook is refused before it is read", async () => {
    const { status } = await postChunked("/webhooks/stripe", 5 * 1024 * 1024);
    expect(status).toBe(413);
  });
});

test.describe("security headers", () => {
  const expectSecurityHeaders = (headers: Record<string, string>, what: string) => {
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, what).toContain("default-src 'self'");
    expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"], what).toBe("DENY");
    expect(headers["x-content-type-options"], what).toBe("nosniff");
    // Served over http here, so no HSTS (it is sent when PUBLIC_URL is https).
    expect(headers["strict-transport-security"], what).toBeUndefined();
  };

  test("a page, a ?_data= request and a single-fetch data request all carry them", async ({ request }) => {
    const page = await request.get("/log-ind");
    expect(page.status()).toBe(200);
    expectSecurityHeaders(page.headers(), "page");
    const nonce = /'nonce-([^']+)'/.exec(page.headers()["content-security-policy"] ?? "")?.[1];
    const html = await page.text();
    // Every inline script Remix writes carries this response's nonce, and a new one each time.
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inline.length).toBeGreaterThan(0);
    for (const [, attributes] of inline) expect(attributes).toContain(`nonce="${nonce}"`);
    const again = await request.get("/log-ind");
    expect(again.headers()["content-security-policy"]).not.toContain(nonce);

    const data = await request.get("/priser?_data=routes%2Fpriser");
    expect(data.status()).toBe(200);
    expectSecurityHeaders(data.headers(), "?_data=");
    const singleFetch = await request.get("/priser.data");
    expect(singleFetch.status()).toBe(200);
    expectSecurityHeaders(singleFetch.headers(), ".data");
  });

  test("a route's own Referrer-Policy is the one sent", async ({ request }) => {
    const response = await request.get("/nulstil-adgangskode/ukendt-link");
    // An unknown link still gets the reset page (410), which must not leak its address onwards.
    expect(response.status()).toBe(410);
    expect(response.headers()["referrer-policy"]).toBe("no-referrer");
    const other = await request.get("/log-ind");
    expect(other.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });

  test("an address the server cannot decode gets a plain 400, no internals", async ({ request }) => {
    const response = await request.get("/assets/%E0%A4%A");
    expect(response.status()).toBe(400);
    const body = await response.text();
    expect(body).not.toMatch(/ at |node_modules|Error:/);
    expectSecurityHeaders(response.headers(), "400");
  });

  test("a Host header no address can be made of gets a plain 400, not a server error", async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const port = Number(new URL(SITE).port);
      const req = http.request(
        { host: "127.0.0.1", port, path: "/log-ind", headers: { Host: "a:99999" }, agent: false },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(400);
    expect(body).toContain("Adressen kunne ikke forstås");
    expect(body).not.toMatch(/ at |node_modules|Error:/);
  });
});
