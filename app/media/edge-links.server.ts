import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getSignedCookies } from "@aws-sdk/cloudfront-signer";
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

/** Whose links one playlist carries: one person, one film version. */
export type EdgePlaylist = { slug: string; version: string; userId: number };

/**
 * Signs the links of one playlist: called once per playlist, then once per file (relative to the
 * version's folder) with the moment, in Unix seconds, until which that file's link must work.
 */
export type EdgeSigner = (playlist: EdgePlaylist) => (file: string, expires: number) => string;

/**
 * nginx's secure_link, as the README's /edge/ location checks it:
 * `secure_link_md5 "$secure_link_expires$uri$arg_u $rettidig_edge_secret"`, the digest in base64url
 * without padding. The signed string holds the path (so the version and the file) and the person
 * (u=), so none of them can be changed under the signature. The link names its person, but it
 * is a bearer link: whoever holds it gets the file until it expires.
 */
export function nginxSecureLinks(edgeUrl: string, secret: string): EdgeSigner {
  const base = new URL(edgeUrl);
  const prefix = base.pathname.replace(/\/$/, "");
  return ({ slug, version, userId }) =>
    (file, expires) => {
      const uri = `${prefix}/${slug}/${version}/${file}`;
      const md5 = createHash("md5").update(`${expires}${uri}${userId} ${secret}`).digest("base64url");
      return `${base.origin}${uri}?u=${userId}&expires=${expires}&md5=${md5}`;
    };
}

/**
 * CloudFront signed URLs with a custom policy, signed by AWS's own signer. An RSA signature through
 * it costs 1–2 ms (it parses the PEM key each time), so one per segment made a 100-segment playlist
 * cost about 0.2 s of CPU at every fetch (tests/bench/edge-signing.ts). Instead a playlist's links share a policy per
 * `windowSeconds` of expiry: each link's expiry is rounded up to the window's end (at most
 * `windowSeconds` later than its own), and the policy's Resource is the version's folder with a
 * wildcard and the person last, `<edge>/<slug>/<version>/*?u=<id>`. A signature therefore opens
 * any file of that version, for URLs ending in that person's u=, until the window's end; it opens
 * no other version, and changing u= or the expiry breaks it. CloudFront checks it with the public
 * key of the key group the distribution trusts.
 */
export function cloudFrontLinks(
  edgeUrl: string,
  keyPairId: string,
  privateKey: string,
  windowSeconds: number,
): EdgeSigner {
  return ({ slug, version, userId }) => {
    const folder = `${edgeUrl}/${slug}/${version}`;
    const signedUntil = new Map<number, string>();
    return (file, expires) => {
      const until = Math.ceil(expires / windowSeconds) * windowSeconds;
      let query = signedUntil.get(until);
      if (query === undefined) {
        // In a custom policy's Resource, * matches any characters and ? any one (here the "?" itself).
        const policy = JSON.stringify({
          Statement: [{ Resource: `${folder}/*?u=${userId}`, Condition: { DateLessThan: { "AWS:EpochTime": until } } }],
        });
        // The cookie form hands back the encoded policy and its signature on their own: the same
        // values a signed URL carries, so one signature serves every link of the window.
        const signed = getSignedCookies({ policy, keyPairId, privateKey });
        query = `Policy=${signed["CloudFront-Policy"]}&Signature=${signed["CloudFront-Signature"]}&Key-Pair-Id=${keyPairId}`;
        signedUntil.set(until, query);
      }
      return `${folder}/${file}?u=${userId}&${query}`;
    };
  };
}

/** The signer the settings ask for; the private key is read once, when the media path is set up. */
export function edgeSigner(env: EdgeEnv): EdgeSigner {
  if (env.MEDIA_EDGE_FORMAT === "cloudfront") {
    if (!env.CLOUDFRONT_KEY_PAIR_ID || !env.CLOUDFRONT_PRIVATE_KEY_FILE)
      throw new Error("MEDIA_EDGE_FORMAT=cloudfront kræver CLOUDFRONT_KEY_PAIR_ID og CLOUDFRONT_PRIVATE_KEY_FILE");
    const privateKey = fs.readFileSync(env.CLOUDFRONT_PRIVATE_KEY_FILE, "utf8");
    return cloudFrontLinks(env.MEDIA_EDGE_URL, env.CLOUDFRONT_KEY_PAIR_ID, privateKey, env.MEDIA_EDGE_LINK_SECONDS);
  }
  if (!env.MEDIA_EDGE_SECRET) throw new Error("MEDIA_DELIVERY=edge med nginx kræver MEDIA_EDGE_SECRET");
  return nginxSecureLinks(env.MEDIA_EDGE_URL, env.MEDIA_EDGE_SECRET);
}

/**
 * A playlist with every segment and subtitle file replaced by a signed edge link; the playlists it
 * names stay relative, so the player fetches them from the platform, which checks the seat again.
 * A link lives from now until its segment is due in the film plus `linkSeconds` (with CloudFront
 * until the end of its window, at most `linkSeconds` more): a person who plays a film straight
 * through from one playlist never meets a dead link, and one who pauses longer meets a 410 (403
 * from CloudFront) and fetches the playlist again (see the player's use-hls-source).
 */
export function signPlaylist(
  text: string,
  at: { slug: string; version: string; playlist: string; userId: number },
  sign: EdgeSigner,
  { nowSeconds, linkSeconds }: { nowSeconds: number; linkSeconds: number },
): string {
  const folder = path.posix.dirname(at.playlist);
  const link = sign({ slug: at.slug, version: at.version, userId: at.userId });
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
      return link(file, expires);
    })
    .join("\n");
}
