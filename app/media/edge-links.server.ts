import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getSignedUrl } from "@aws-sdk/cloudfront-signer";
import type { Env } from "~/env.server";

export type EdgeEnv = Pick<
  Env,
  | "MEDIA_EDGE_FORMAT"
  | "MEDIA_EDGE_SECRET"
  | "MEDIA_EDGE_URL"
  | "MEDIA_EDGE_LINK_SECONDS"
  | "CLOUDFRONT_KEY_PAIR_ID"
  | "CLOUDFRONT_PRIVATE_KEY_FILE"
>;

/** One file of one film version, for one person, until a moment (Unix seconds). */
export type EdgeFile = { slug: string; version: string; file: string; userId: number; expires: number };

/** Turns an edge file into the absolute link the edge checks without asking the platform. */
export type EdgeSigner = (edgeFile: EdgeFile) => string;

/**
 * nginx's secure_link, as the README's /edge/ location checks it:
 * `secure_link_md5 "$secure_link_expires$uri$arg_u $rettidig_edge_secret"`, the digest in base64url
 * without padding. The person is in the signed string (u=) and the version in the path, so a link
 * opens one file of one version for one person, and changing any of them breaks the signature.
 */
export function nginxSecureLinks(edgeUrl: string, secret: string): EdgeSigner {
  const base = new URL(edgeUrl);
  const prefix = base.pathname.replace(/\/$/, "");
  return ({ slug, version, file, userId, expires }) => {
    const uri = `${prefix}/${slug}/${version}/${file}`;
    const md5 = createHash("md5").update(`${expires}${uri}${userId} ${secret}`).digest("base64url");
    return `${base.origin}${uri}?u=${userId}&expires=${expires}&md5=${md5}`;
  };
}

/**
 * CloudFront signed URLs with a canned policy, signed by AWS's own signer: the policy's Resource
 * is the exact URL including u=, so the person is bound as with nginx, and its DateLessThan is the
 * link's expiry. CloudFront checks them with the public key of the key group the distribution trusts.
 */
export function cloudFrontLinks(edgeUrl: string, keyPairId: string, privateKey: string): EdgeSigner {
  return ({ slug, version, file, userId, expires }) =>
    getSignedUrl({
      url: `${edgeUrl}/${slug}/${version}/${file}?u=${userId}`,
      keyPairId,
      privateKey,
      dateLessThan: new Date(expires * 1000),
    });
}

/** The signer the settings ask for; the private key is read once, at start. */
export function edgeSigner(env: EdgeEnv): EdgeSigner {
  if (env.MEDIA_EDGE_FORMAT === "cloudfront") {
    if (!env.CLOUDFRONT_KEY_PAIR_ID || !env.CLOUDFRONT_PRIVATE_KEY_FILE)
      throw new Error("MEDIA_EDGE_FORMAT=cloudfront kræver CLOUDFRONT_KEY_PAIR_ID og CLOUDFRONT_PRIVATE_KEY_FILE");
    const privateKey = fs.readFileSync(env.CLOUDFRONT_PRIVATE_KEY_FILE, "utf8");
    return cloudFrontLinks(env.MEDIA_EDGE_URL, env.CLOUDFRONT_KEY_PAIR_ID, privateKey);
  }
  if (!env.MEDIA_EDGE_SECRET) throw new Error("MEDIA_DELIVERY=edge med nginx kræver MEDIA_EDGE_SECRET");
  return nginxSecureLinks(env.MEDIA_EDGE_URL, env.MEDIA_EDGE_SECRET);
}

/**
 * A playlist with every segment and subtitle file replaced by a signed edge link; the playlists it
 * names stay relative, so the player fetches them from the platform, which checks the seat again.
 * A link lives from now until its segment is due in the film plus `linkSeconds`: a person who
 * plays a film straight through from one playlist never meets a dead link, and one who pauses
 * longer meets a 410 and fetches the playlist again (see the player's use-hls-source).
 */
export function signPlaylist(
  text: string,
  at: { slug: string; version: string; playlist: string; userId: number },
  sign: EdgeSigner,
  { nowSeconds, linkSeconds }: { nowSeconds: number; linkSeconds: number },
): string {
  const folder = path.posix.dirname(at.playlist);
  let offset = 0;
  let duration = 0;
  return text
    .split("\n")
    .map((line) => {
      const extinf = /^#EXTINF:([\d.]+)/.exec(line);
      if (extinf) duration = Number(extinf[1]) || 0;
      const uri = line.trim();
      if (uri === "" || uri.startsWith("#") || uri.endsWith(".m3u8") || /^[a-z]+:/i.test(uri)) return line;
      const file = path.posix.normalize(path.posix.join(folder, uri));
      if (file.startsWith("..") || file.startsWith("/")) return line;
      const expires = nowSeconds + Math.ceil(offset) + linkSeconds;
      offset += duration;
      duration = 0;
      return sign({ slug: at.slug, version: at.version, file, userId: at.userId, expires });
    })
    .join("\n");
}
