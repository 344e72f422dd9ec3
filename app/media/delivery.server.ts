import fs from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream";
import express, { type NextFunction, type Request, type Response } from "express";
import send from "send";
import { sessionIdHashFromCookie, sessionUserFromCookie } from "~/auth/session.server";
import type { Env } from "~/env.server";
import { translator } from "~/i18n/i18n";
import type { ObjectStore } from "~/storage/object-store.server";
import { authorizeMedia, type MediaGrant } from "./access.server";
import { edgeSigner, signPlaylist, type EdgeEnv, type EdgeSigner } from "./edge-links.server";
import { grantCache } from "./grant-cache.server";
import { contentTypeFor, mediaRoot, resolveMediaFile } from "./library.server";
import { mediaBucket, versionObjectKey } from "./media-store.server";

export type MediaDeliveryEnv = Pick<Env, "MEDIA_DELIVERY" | "MEDIA_ACCESS_CACHE_SECONDS" | "MEDIA_STORAGE"> & EdgeEnv;

export type MediaTier = "app" | "nginx" | "edge";

export type MediaDeliveryOptions = {
  /** The clock, in milliseconds; tests move it. */
  now?: () => number;
  /** Called once per answered media request with the body bytes the platform itself sent (0 when nginx or the edge sends them). */
  onServed?: (tier: MediaTier, bytes: number) => void;
  /** The bucket films are served from with MEDIA_STORAGE=s3; the process's own (mediaBucket) unless a test gives another. */
  bucket?: ObjectStore;
};

/**
 * How long the address nginx fetches a file from the bucket with lives. nginx uses it at once, so
 * this only has to cover the clocks of the platform and the store being a little apart.
 */
const PRESIGNED_SECONDS = 60;

type Granted = Extract<MediaGrant, { status: "ok" }>;

const da = translator("da");

type RefusalStatus = 403 | 404 | 405 | 412 | 416 | 502 | 503;

function refuse(res: Response, status: RefusalStatus) {
  const text = {
    403: da("media.refused"),
    404: da("media.missing"),
    405: da("media.methodNotAllowed"),
    412: da("media.preconditionFailed"),
    416: da("media.rangeNotSatisfiable"),
    502: da("media.storeFailed"),
    503: da("media.storeUnreachable"),
  }[status];
  if (status === 405) res.setHeader("Allow", "GET, HEAD");
  res.status(status).set({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" }).send(text);
}

/** A 416 names the file's size, so a player can ask for a range that exists. */
function refuseRange(res: Response, size: number) {
  res.setHeader("Content-Range", `bytes */${size}`);
  refuse(res, 416);
}

/** A call to the bucket that failed, told apart from the platform's own errors (which stay 500s). */
class StoreFailure extends Error {
  constructor(readonly failure: unknown) {
    super("Objektlageret svarede ikke som ventet", { cause: failure });
  }
}

async function fromStore<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new StoreFailure(error);
  }
}

/**
 * The bucket failed a read: 502 when it answered with an error (a missing bucket, refused
 * credentials), 503 when it could not be reached. The error goes in the request's log line.
 */
function refuseStoreFailure(res: Response, { failure }: StoreFailure) {
  res.err = failure instanceof Error ? failure : new Error(String(failure));
  const answered = typeof failure === "object" && failure !== null && "$fault" in failure;
  if (!answered) res.setHeader("Retry-After", "5");
  refuse(res, answered ? 502 : 503);
}

type MediaAddress = { token: string; version: string; relative: string };

/**
 * Token, version and file of /media/<token>/<version>/<file>, each part decoded on its own so an
 * encoded slash stays inside its part; null for an address that is not one.
 */
function mediaAddress(pathname: string): MediaAddress | null {
  try {
    const [token = "", version = "", ...rest] = pathname.slice("/media/".length).split("/").map(decodeURIComponent);
    return { token, version, relative: rest.join("/") };
  } catch {
    return null;
  }
}

/** Body bytes of a finished answer: none for HEAD, 304 or an X-Accel-Redirect (nginx sends those). */
function sentBytes(req: Request, res: Response): number {
  if (req.method === "HEAD" || res.statusCode === 304 || res.getHeader("X-Accel-Redirect")) return 0;
  return Number(res.getHeader("Content-Length") ?? 0) || 0;
}

/** Playlists are small and name the segments; segments never change once a version is complete. */
const cacheControlFor = (file: string) => (file.endsWith(".m3u8") ? "private, no-cache" : "private, max-age=3600");

/**
 * /media/<token>/<version>/<file>: the films' playlists, segments, subtitles and posters, answered
 * before Remix, since a player asks for a segment every few seconds and nothing of a page is
 * needed. The one rule (authorizeMedia: session, token, version, seat) decides; then the platform
 * sends the file itself with `send` (Range, ETag, HEAD, 304), or hands it to nginx with
 * X-Accel-Redirect, or (edge) sends playlists whose segment links the edge checks alone.
 */
export function mediaDelivery(
  env: MediaDeliveryEnv,
  { now = Date.now, onServed = () => {}, bucket: givenBucket }: MediaDeliveryOptions = {},
) {
  const grants = grantCache(env.MEDIA_ACCESS_CACHE_SECONDS);
  const sign = env.MEDIA_DELIVERY === "edge" ? edgeSigner(env) : null;
  const tier: MediaTier = env.MEDIA_DELIVERY;
  const bucket = env.MEDIA_STORAGE === "s3" ? (givenBucket ?? mediaBucket()) : null;
  if (env.MEDIA_STORAGE === "s3" && !bucket) throw new Error("MEDIA_STORAGE=s3 kræver et objektlager (S3_*)");

  /**
   * The seat rule's answer, reused for segments within the cache time. Playlists, asked for once
   * when a film starts (and again when edge links run out), are always checked afresh: a seat
   * taken back never starts a film again.
   */
  async function grantFor(req: Request, address: MediaAddress, at: number): Promise<Granted | null> {
    const { token, version, relative } = address;
    const cookie = req.get("cookie") ?? null;
    // No session, no grant; and the key is the session's stored id, not the Cookie header, so
    // other cookies coming and going reuse the grant and no cookie is held in memory.
    const session = await sessionIdHashFromCookie(cookie);
    if (!session) return null;
    // The token binds the version, but the cache key names it too: a cached grant opens no other.
    const key = `${token}\n${version}\n${session}`;
    const cached = relative.endsWith(".m3u8") ? null : grants.get(key, at);
    if (cached) return cached;
    const grant = authorizeMedia(await sessionUserFromCookie(cookie, new Date(at)), token, version, at);
    if (grant.status !== "ok") return null;
    grants.remember(key, grant, at);
    return grant;
  }

  function sendFile(req: Request, res: Response, next: NextFunction, file: string) {
    const stream = send(req, path.relative(mediaRoot(), file), {
      root: mediaRoot(),
      dotfiles: "deny",
      index: false,
      cacheControl: false,
    });
    stream.on("headers", (response: Response) => {
      response.setHeader("Cache-Control", cacheControlFor(file));
      response.setHeader("Content-Type", contentTypeFor(file));
    });
    stream.on("directory", () => refuse(res, 404));
    stream.on("error", (error: { status?: number; headers?: Record<string, string> }) => {
      // send's own refusals keep their status: a 416 with the size it names, a 412 as such.
      if (error.status === 416) return refuseRange(res, Number(error.headers?.["Content-Range"]?.split("/")[1]) || 0);
      if (error.status === 412) return refuse(res, 412);
      // A dotfile or a climb (403) is hidden as a missing file; resolveMediaFile lets neither through.
      if (error.status !== undefined && error.status >= 400 && error.status < 500) return refuse(res, 404);
      next(error);
    });
    stream.pipe(res);
  }

  /** The app tier from the bucket: the client's Range and validators go to the store, its answer comes back. */
  async function sendObject(req: Request, res: Response, store: ObjectStore, key: string, file: string) {
    const ifModifiedSince = req.get("if-modified-since");
    const since = ifModifiedSince ? new Date(ifModifiedSince) : undefined;
    const read = await fromStore(() =>
      store.openObject(key, {
        method: req.method === "HEAD" ? "HEAD" : "GET",
        range: req.get("range"),
        ifNoneMatch: req.get("if-none-match"),
        ifModifiedSince: since && !Number.isNaN(since.getTime()) ? since : undefined,
      }),
    );
    if (read.status === 404) return refuse(res, 404);
    if (read.status === 416) return refuseRange(res, read.size);
    res.setHeader("Cache-Control", cacheControlFor(file));
    if (read.status === 304) return res.status(304).end();
    res.status(read.status).set({
      "Content-Type": contentTypeFor(file),
      "Content-Length": String(read.contentLength),
      "Accept-Ranges": "bytes",
    });
    if (read.contentRange) res.setHeader("Content-Range", read.contentRange);
    if (read.etag) res.setHeader("ETag", read.etag);
    if (read.lastModified) res.setHeader("Last-Modified", read.lastModified.toUTCString());
    if (!read.body) return res.end();
    // Streamed through: a client that goes away closes the store's connection too.
    pipeline(read.body, res, (error) => {
      if (error) res.err = error;
    });
  }

  /** A playlist's text, from the bucket or the folder; null when there is no such file. */
  async function playlistText(file: string, key: string | null): Promise<string | null> {
    if (bucket && key) return fromStore(() => bucket.getText(key));
    try {
      return await fs.readFile(file, "utf8");
    } catch {
      return null;
    }
  }

  /** The internal location nginx sends a file from: the folder's /_media/, or /_s3/ with a presigned address. */
  async function accelRedirect(slug: string, version: string, relative: string, file: string, at: number) {
    if (!bucket) return `/_media/${slug}/${version}/${relative}`;
    const signed = new URL(
      await fromStore(() =>
        bucket.presignGet(
          versionObjectKey(slug, version, relative),
          new Date(at),
          PRESIGNED_SECONDS,
          contentTypeFor(file),
        ),
      ),
    );
    // The README's /_s3/<scheme>/<host>/<path> location proxies to exactly this address.
    return `/_s3/${signed.protocol.replace(":", "")}/${signed.host}${signed.pathname}${signed.search}`;
  }

  async function sendSignedPlaylist(
    res: Response,
    signer: EdgeSigner,
    {
      grant,
      version,
      relative,
      file,
      at,
    }: { grant: Granted; version: string; relative: string; file: string; at: number },
  ) {
    const text = await playlistText(file, bucket ? versionObjectKey(grant.slug, version, relative) : null);
    if (text === null) return refuse(res, 404);
    const body = signPlaylist(text, { slug: grant.slug, version, playlist: relative, userId: grant.userId }, signer, {
      nowSeconds: Math.floor(at / 1000),
      linkSeconds: env.MEDIA_EDGE_LINK_SECONDS,
    });
    // Every answer carries fresh links, so nothing may reuse it: no validators, no shared caches.
    res.status(200).set({ "Content-Type": contentTypeFor(file), "Cache-Control": "private, no-store" });
    res.send(body);
  }

  const router = express.Router();
  router.all("/media/*", async (req: Request, res: Response, next: NextFunction) => {
    try {
      const address = mediaAddress(req.path);
      if (req.method !== "GET" && req.method !== "HEAD") return refuse(res, 405);
      if (!address) return refuse(res, 404);
      const { version, relative } = address;
      const at = now();
      const grant = await grantFor(req, address, at);
      if (!grant) return refuse(res, 403);
      const file = resolveMediaFile(grant.slug, version, relative);
      if (!file) return refuse(res, 404);
      // The one place a media answer's size is known: the body the platform itself sent, once it is out.
      res.on("finish", () => onServed(tier, sentBytes(req, res)));

      if (tier === "nginx") {
        // nginx keeps Content-Type and Cache-Control from this answer and sends the file from the folder
        // (/_media/) or the bucket (/_s3/: the presigned address names the same Content-Type, and
        // nginx drops the bucket's own Cache-Control).
        res.status(200).set({
          "X-Accel-Redirect": await accelRedirect(grant.slug, version, relative, file, at),
          "Content-Type": contentTypeFor(file),
          "Cache-Control": cacheControlFor(file),
        });
        res.end();
        return;
      }
      if (sign && file.endsWith(".m3u8"))
        return await sendSignedPlaylist(res, sign, { grant, version, relative, file, at });
      if (bucket) return await sendObject(req, res, bucket, versionObjectKey(grant.slug, version, relative), file);
      sendFile(req, res, next, file);
    } catch (error) {
      // The bucket failing is its own answer, never the error page's 500.
      if (error instanceof StoreFailure && !res.headersSent) return refuseStoreFailure(res, error);
      next(error);
    }
  });
  return router;
}
