import { expect, test, type APIRequestContext } from "@playwright/test";

/**
 * What an operator's tools ask of the running server: the request id on every answer, /healthz
 * as a load balancer reads it, and /metrics as Prometheus scrapes it, request counts moving
 * between two scrapes. No browser: these are plain HTTP clients.
 */
const TOKEN = "e2e-metrics-token-long-enough-for-the-check";
const SIGN_IN_200 = 'rettidig_http_requests_total{method="GET",route="routes/log-ind",status="200"}';

async function scrape(request: APIRequestContext) {
  const response = await request.get("/metrics", { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(response.status()).toBe(200);
  return response.text();
}

function sample(text: string, name: string) {
  const line = text.split("\n").find((row) => row.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

test("every answer carries a request id of its own, whatever id the client sends", async ({ request }) => {
  const page = await request.get("/log-ind", { headers: { "X-Request-Id": "chosen-by-the-client" } });
  expect(page.status()).toBe(200);
  expect(page.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  const refused = await request.post("/log-ind", { form: { email: "x" }, headers: { Origin: "https://evil.example" } });
  expect(refused.status()).toBe(403);
  expect(refused.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(refused.headers()["x-request-id"]).not.toBe(page.headers()["x-request-id"]);
});

test("/healthz answers anyone with the state of each part and nothing more", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  const body = (await response.json()) as { status: string; checks: Record<string, string> };
  expect(["ok", "degraded"]).toContain(body.status);
  expect(body.checks.database).toBe("ok");
  expect(Object.values(body.checks).every((state) => typeof state === "string")).toBe(true);
});

test("/metrics asks for the token, and counts requests by route between two scrapes", async ({ request }) => {
  const anonymous = await request.get("/metrics");
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.text()).toContain("driftens token");

  const before = sample(await scrape(request), SIGN_IN_200);
  for (let i = 0; i < 3; i += 1) expect((await request.get(`/log-ind?n=${i}`)).status()).toBe(200);
  const after = await scrape(request);
  expect(sample(after, SIGN_IN_200)).toBe(before + 3);
  expect(after).toContain(
    'rettidig_http_request_duration_seconds_bucket{le="0.005",method="GET",route="routes/log-ind"}',
  );
  expect(after).toContain('rettidig_media_jobs{status="queued"}');
  expect(after).not.toContain("n=1");
});
