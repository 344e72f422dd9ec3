import { generateKeyPairSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { cloudFrontLinks, nginxSecureLinks, signPlaylist, type EdgeSigner } from "~/media/edge-links.server";
import { fixed, printTable, summarise, whole, type Summary } from "./report";

const EDGE = "https://d111111abcdef8.cloudfront.net/film";
const SEGMENTS = 100;
const SEGMENT_SECONDS = 6;
const LINK_SECONDS = 300;

/** A variant playlist of `SEGMENTS` six-second segments: a ten-minute film. */
function variantPlaylist() {
  const lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-PLAYLIST-TYPE:VOD"];
  for (let index = 0; index < SEGMENTS; index++)
    lines.push(`#EXTINF:${SEGMENT_SECONDS}.000000,`, `seg_${String(index).padStart(5, "0")}.ts`);
  return [...lines, "#EXT-X-ENDLIST", ""].join("\n");
}

function timeSync(count: number, warmup: number, call: (index: number) => unknown): Summary {
  for (let index = 0; index < warmup; index++) call(index);
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    call(index);
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

/**
 * What signing one variant playlist costs the platform at every fetch in MEDIA_DELIVERY=edge, for
 * each edge format, beside CloudFront's canned policy per segment (the first version's way) as
 * the reference the custom policy per window is held against.
 */
export function benchEdgeSigning({ playlists }: { playlists: number }) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const text = variantPlaylist();
  // Each fetch signs for another person, as the platform does for many viewers.
  const sign = (signer: EdgeSigner) => (index: number) =>
    signPlaylist(text, { slug: "film", version: "v1", playlist: "720p/index.m3u8", userId: index }, signer, {
      nowSeconds: 1_800_000_000 + index,
      linkSeconds: LINK_SECONDS,
    });
  const cannedPerSegment: EdgeSigner =
    ({ slug, version, userId }) =>
    (file, expires) =>
      getSignedUrl({
        url: `${EDGE}/${slug}/${version}/${file}?u=${userId}`,
        keyPairId: "K2JCJMDEHXQW5F",
        privateKey: pem,
        dateLessThan: new Date(expires * 1000),
      });
  const rows: [string, string, Summary][] = [
    [
      "nginx secure_link (md5 per link)",
      "0",
      timeSync(playlists * 10, 50, sign(nginxSecureLinks(EDGE, "x".repeat(48)))),
    ],
    [
      "CloudFront, custom policy per window (shipped)",
      `${Math.ceil((SEGMENTS * SEGMENT_SECONDS) / LINK_SECONDS) + 1} at most`,
      timeSync(playlists, 10, sign(cloudFrontLinks(EDGE, "K2JCJMDEHXQW5F", pem, LINK_SECONDS))),
    ],
    [
      "CloudFront, canned policy per segment (reference)",
      String(SEGMENTS),
      timeSync(Math.ceil(playlists / 10), 2, sign(cannedPerSegment)),
    ],
  ];
  printTable(
    `2c. Signing one variant playlist of ${SEGMENTS} segments (a ${(SEGMENTS * SEGMENT_SECONDS) / 60}-minute film), MEDIA_EDGE_LINK_SECONDS=${LINK_SECONDS}`,
    ["edge format", "RSA signatures", "playlists", "p50 ms", "p95 ms", "playlists/s per core"],
    rows.map(([label, signatures, summary]) => [
      label,
      signatures,
      whole(summary.count),
      fixed(summary.p50, 2),
      fixed(summary.p95, 2),
      whole((summary.count / summary.totalMs) * 1000),
    ]),
    [
      "RSA-2048 with SHA-1 as CloudFront's default; AWS's signer parses the PEM key at each signature.",
      "The shipped CloudFront signer shares one signature among the links whose expiry falls in the same window of MEDIA_EDGE_LINK_SECONDS.",
    ],
  );
}
