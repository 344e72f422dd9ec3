import fs from "node:fs/promises";
import path from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";
import send from "send";
import { sessionUserFromCookie } from "~/auth/session.server";
import type { Env } from "~/env.server";
import { translator } from "~/i18n/i18n";
import { authorizeMedia, type MediaGrant } from "./access.server";
import { edgeSigner, signPlaylist, type EdgeEnv, type EdgeSigner } from "./edge-links.server";
import { grantCache } from "./grant-cache.server";
import { contentTypeFor, mediaRoot, resolveMediaFile } from "./library.server";

export type MediaDeliveryEnv = Pick<Env, "MEDIA_DELIVERY" | "MEDIA_ACCESS_CACHE_SECONDS"> & EdgeEnv;

export type MediaTier = "app" | "nginx" | "edge";

export type MediaDeliveryOptions = {
  /** The clock, in milliseconds; tests move it. */
  now?: () => number;
  /** Called once per answered media request with the body bytes the platform itself sent (0 when nginx or the edge sends them). */
  onServed?: (tier: MediaTier, bytes: number) => void;
};

type Granted = Extract<MediaGrant, { status: "ok" }>;

const da = translator("da");

function refuse(res: Response, status: 403 | 404 | 405) {
  const text = { 403: da("media.refused"), 404: da("media.missing"), 405: da("media.methodNotAllowed") }[status];
  if (status === 405) res.setHeader("Allow", "GET, HEAD");
  res.status(status).set({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" }).send(text);
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
  { now = Date.now, onServed = () => {} }: MediaDeliveryOptions = {},
) {
  const grants = grantCache(env.MEDIA_ACCESS_CACHE_SECONDS);
  const sign = env.MEDIA_DELIVERY === "edge" ? edgeSigner(env) : null;
  const tier: MediaTier = env.MEDIA_DELIVERY;

  /**
   * The seat rule's answer, reused for segments within the cache time. Playlists, asked for once
   * when a film starts (and again when edge links run out), are always checked afresh: a seat
   * taken back never starts a film again.
   */
  async function grantFor(req: Request, address: MediaAddress, at: number): Promise<Granted | null> {
    const { token, version, relative } = address;
    const cookie = req.get("cookie") ?? null;
    // The token binds the version, but the cache key names it too: a cached grant opens no other.
    const key = `${token}\n${version}\n${cookie ?? ""}`;
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
    stream.on("error", (error: { status?: number }) => {
      if (error.status === 404 || error.status === 403) return refuse(res, 404);
      next(error);
    });
    stream.pipe(res);
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
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch {
      return refuse(res, 404);
    }
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
        // nginx keeps Content-Type and Cache-Control from this answer and sends the file from /_media/.
        res.status(200).set({
          "X-Accel-Redirect": `/_media/${grant.slug}/${version}/${relative}`,
          "Content-Type": contentTypeFor(file),
          "Cache-Control": cacheControlFor(file),
        });
        res.end();
        return;
      }
      if (sign && file.endsWith(".m3u8"))
        return await sendSignedPlaylist(res, sign, { grant, version, relative, file, at });
      sendFile(req, res, next, file);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
