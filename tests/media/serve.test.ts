import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serveMediaFile } from "~/media/serve.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rettidig-serve-"));
const file = path.join(dir, "seg_00000.ts");
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
const CACHE = "private, max-age=3600";

beforeAll(() => fs.writeFileSync(file, BYTES));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function get(headers: Record<string, string> = {}, method = "GET", target = file) {
  return serveMediaFile(new Request("http://localhost/media/x/seg_00000.ts", { method, headers }), target, {
    cacheControl: CACHE,
  });
}

async function body(response: Response) {
  return Buffer.from(await response.arrayBuffer());
}

describe("serveMediaFile", () => {
  it("serves the whole file with the headers players need", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("video/mp2t");
    expect(response.headers.get("Content-Length")).toBe("1000");
    expect(response.headers.get("Accept-Ranges")).toBe("bytes");
    expect(response.headers.get("Cache-Control")).toBe(CACHE);
    expect(response.headers.get("ETag")).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(response.headers.get("Last-Modified")).toBe(fs.statSync(file).mtime.toUTCString());
    expect(await body(response)).toEqual(BYTES);
  });

  it("answers a closed range with exactly those bytes", async () => {
    const response = await get({ Range: "bytes=100-199" });
    expect(response.status).toBe(206);
    expect(response.headers.get("Content-Range")).toBe("bytes 100-199/1000");
    expect(response.headers.get("Content-Length")).toBe("100");
    expect(await body(response)).toEqual(BYTES.subarray(100, 200));
  });

  it("answers open and suffix ranges, clamping the end", async () => {
    const open = await get({ Range: "bytes=900-" });
    expect(open.status).toBe(206);
    expect(open.headers.get("Content-Range")).toBe("bytes 900-999/1000");
    expect(await body(open)).toEqual(BYTES.subarray(900));

    const suffix = await get({ Range: "bytes=-10" });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get("Content-Range")).toBe("bytes 990-999/1000");
    expect(await body(suffix)).toEqual(BYTES.subarray(990));

    const longSuffix = await get({ Range: "bytes=-5000" });
    expect(longSuffix.headers.get("Content-Range")).toBe("bytes 0-999/1000");

    const past = await get({ Range: "bytes=995-2000" });
    expect(past.headers.get("Content-Range")).toBe("bytes 995-999/1000");
    expect(await body(past)).toEqual(BYTES.subarray(995));
  });

  it("refuses ranges that start past the end with 416", async () => {
    for (const range of ["bytes=1000-", "bytes=5000-6000", "bytes=-0"]) {
      const response = await get({ Range: range });
      expect(response.status).toBe(416);
      expect(response.headers.get("Content-Range")).toBe("bytes */1000");
      expect((await body(response)).length).toBe(0);
    }
  });

  it("answers several ranges or nonsense with the whole file", async () => {
    for (const range of ["bytes=0-1,5-6", "bytes=abc", "items=0-1", "bytes=20-10"]) {
      const response = await get({ Range: range });
      expect(response.status).toBe(200);
      expect((await body(response)).length).toBe(1000);
    }
  });

  it("sends headers without a body for HEAD", async () => {
    const response = await get({}, "HEAD");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Length")).toBe("1000");
    expect(response.body).toBeNull();
    const partial = await get({ Range: "bytes=0-9" }, "HEAD");
    expect(partial.status).toBe(206);
    expect(partial.headers.get("Content-Length")).toBe("10");
    expect(partial.body).toBeNull();
  });

  it("answers 304 when the client's copy is current", async () => {
    const etag = (await get({}, "HEAD")).headers.get("ETag")!;
    const cached = await get({ "If-None-Match": etag });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("ETag")).toBe(etag);
    expect(cached.body).toBeNull();
    expect((await get({ "If-None-Match": `"other", W/${etag}` })).status).toBe(304);
    expect((await get({ "If-None-Match": '"other"' })).status).toBe(200);
    const lastModified = fs.statSync(file).mtime.toUTCString();
    expect((await get({ "If-Modified-Since": lastModified })).status).toBe(304);
  });

  it("ignores Range when If-Range names another version", async () => {
    const response = await get({ Range: "bytes=0-9", "If-Range": '"stale"' });
    expect(response.status).toBe(200);
    const etag = (await get({}, "HEAD")).headers.get("ETag")!;
    expect((await get({ Range: "bytes=0-9", "If-Range": etag })).status).toBe(206);
  });

  it("answers 404 for a missing file or a folder", async () => {
    expect((await get({}, "GET", path.join(dir, "missing.ts"))).status).toBe(404);
    expect((await get({}, "GET", dir)).status).toBe(404);
  });

  it("serves an empty file", async () => {
    const empty = path.join(dir, "empty.vtt");
    fs.writeFileSync(empty, "");
    const response = await get({}, "GET", empty);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/vtt; charset=utf-8");
    expect(response.headers.get("Content-Length")).toBe("0");
    expect((await get({ Range: "bytes=0-" }, "GET", empty)).status).toBe(416);
  });
});
