import fs from "node:fs/promises";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { contentTypeFor } from "./library.server";

export interface ServeOptions {
  cacheControl: string;
}

type ByteRange = { start: number; end: number };
type RangeResult = { kind: "none" } | { kind: "range"; range: ByteRange } | { kind: "unsatisfiable" };

/**
 * Reads a single `bytes=` range. Anything it does not understand, including several
 * ranges at once, is treated as no Range header at all, which RFC 9110 allows: the client
 * then simply gets the whole file.
 */
export function parseRange(header: string | null, size: number): RangeResult {
  if (!header) return { kind: "none" };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: "none" };
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return { kind: "none" };

  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "range", range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === "" ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return { kind: "none" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "range", range: { start, end: Math.min(end, size - 1) } };
}

function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  // If-None-Match uses the weak comparison, so W/ prefixes are ignored on both sides.
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === bare);
}

function notModified(request: Request, etag: string, mtimeMs: number): boolean {
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (ifNoneMatch !== null) return etagMatches(ifNoneMatch, etag);
  const ifModifiedSince = request.headers.get("If-Modified-Since");
  if (ifModifiedSince) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have whole seconds; the file's time is compared at the same precision.
    if (Number.isFinite(since)) return Math.floor(mtimeMs / 1000) * 1000 <= since;
  }
  return false;
}

/** If-Range lets a client resume only when the file has not changed since its first part. */
function rangeStillValid(request: Request, etag: string, lastModified: string): boolean {
  const ifRange = request.headers.get("If-Range");
  if (!ifRange) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === etag;
  return value === lastModified;
}

/**
 * Streams a file with the headers players and browsers rely on: byte ranges for seeking,
 * validators for revalidation and HEAD for probing. The caller decides which file may be
 * served; this only reads it.
 */
export async function serveMediaFile(
  request: Request,
  absolutePath: string,
  { cacheControl }: ServeOptions,
): Promise<Response> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(absolutePath, "r");
  } catch {
    return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }

  let streaming = false;
  try {
    // Stat the open file rather than the path, so the headers describe the bytes actually sent.
    const stat = await handle.stat();
    if (!stat.isFile()) {
      return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    const size = stat.size;
    const etag = `"${size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const lastModified = stat.mtime.toUTCString();
    const headers = new Headers({
      "Accept-Ranges": "bytes",
      "Cache-Control": cacheControl,
      ETag: etag,
      "Last-Modified": lastModified,
      "X-Content-Type-Options": "nosniff",
    });

    if (notModified(request, etag, stat.mtimeMs)) return new Response(null, { status: 304, headers });

    headers.set("Content-Type", contentTypeFor(absolutePath));
    const range = rangeStillValid(request, etag, lastModified)
      ? parseRange(request.headers.get("Range"), size)
      : { kind: "none" as const };

    if (range.kind === "unsatisfiable") {
      headers.set("Content-Range", `bytes */${size}`);
      headers.set("Content-Length", "0");
      headers.delete("Content-Type");
      return new Response(null, { status: 416, headers });
    }

    const { start, end } = range.kind === "range" ? range.range : { start: 0, end: size - 1 };
    const length = size === 0 ? 0 : end - start + 1;
    const status = range.kind === "range" ? 206 : 200;
    headers.set("Content-Length", String(length));
    if (range.kind === "range") headers.set("Content-Range", `bytes ${start}-${end}/${size}`);

    if (request.method === "HEAD" || length === 0) return new Response(null, { status, headers });

    const nodeStream = handle.createReadStream({ start, end, autoClose: true });
    streaming = true;
    // A player that seeks away abandons the request; stop reading the file as well.
    request.signal?.addEventListener("abort", () => nodeStream.destroy(), { once: true });
    return new Response(createReadableStreamFromReadable(nodeStream), { status, headers });
  } finally {
    if (!streaming) await handle.close();
  }
}
