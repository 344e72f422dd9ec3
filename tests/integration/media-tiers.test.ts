import { generateKeyPairSync, verify } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { inject } from "vitest";
import { modules, seats } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { mediaBaseUrl } from "~/media/access.server";
import { cloudFrontLinks, nginxSecureLinks, signPlaylist } from "~/media/edge-links.server";
import { mediaRoot, moduleMediaDir } from "~/media/library.server";
import { freePort, startNginx } from "../fakes/nginx";
import { ownMediaBucket } from "../utils/media-bucket";
import {
  MEDIA_STORAGES,
  rawGet,
  startMediaServer,
  writeMediaFile,
  type MediaServer,
  type MediaStorage,
} from "../utils/media-server";
import { sessionCookieFor, userIdByEmail } from "../utils/requests";

/**
 * The two tiers that hand the bytes to nginx, run through Debian's nginx with the README's
 * configuration in front of a real HTTP server running the media fast path, with the films in
 * the folder and in a bucket on the run's s3rver.
 */
const bucketSettings = ownMediaBucket("media-tiers");
const SLUG = "sofie-ingen-spurgte-til-mig";
const VERSION = "tiersversion01";
const OTHER_VERSION = "tiersversion02";
const EDGE_SECRET = "edge-secret-of-the-media-tier-tests-0123456789";
const SEGMENTS = [0, 1, 2].map((index) =>
  Buffer.from(Array.from({ length: 4000 + index * 100 }, (_, i) => (i * 13 + index) % 256)),
);
const SEGMENT_SECONDS = 6;

function moduleId() {
  const row = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, SLUG)).get();
  if (!row) throw new Error("module missing");
  return row.id;
}

async function writeVersion(storage: MediaStorage, version: string) {
  const write = (relative: string, content: string | Buffer) =>
    writeMediaFile(storage, { slug: SLUG, version }, relative, content);
  await write("master.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8\n");
  const variant = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${SEGMENT_SECONDS}`,
    "#EXT-X-PLAYLIST-TYPE:VOD",
    ...SEGMENTS.flatMap((_, index) => [`#EXTINF:${SEGMENT_SECONDS}.000000,`, `seg_0000${index}.ts`]),
    "#EXT-X-ENDLIST",
    "",
  ];
  await write("360p/index.m3u8", variant.join("\n"));
  for (const [index, bytes] of SEGMENTS.entries()) await write(`360p/seg_0000${index}.ts`, bytes);
  await write("subs/da.m3u8", "#EXTM3U\n#EXTINF:18.000,\nda.vtt\n#EXT-X-ENDLIST\n");
  await write("subs/da.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nHej\n");
  await write("complete.json", "{}");
  if (storage === "s3") return;
  // nginx's workers may run as another user than the tests: they must be able to read the files.
  const dir = moduleMediaDir(SLUG, version);
  for (const folder of [path.join(dir, "360p"), path.join(dir, "subs")]) fs.chmodSync(folder, 0o755);
  for (let folder = dir; folder.startsWith(mediaRoot()); folder = path.dirname(folder)) fs.chmodSync(folder, 0o755);
}

const learner = () => userIdByEmail(demoEmails.learner);
const tokenPath = (userId: number, version = VERSION) => mediaBaseUrl(userId, moduleId(), version);

/** An app server with the given settings behind its own nginx; `now` is the app's clock. */
async function tier(storage: MediaStorage, settings: (origin: string) => Record<string, string>, now?: () => number) {
  const port = await freePort();
  const nginx = await startNginx(path.join(inject("runDir"), `media-tiers-${port}`), {
    appPort: port,
    mediaDir: mediaRoot(),
    edgeSecret: EDGE_SECRET,
    edgeFromBucket: storage === "s3" ? `${bucketSettings.S3_ENDPOINT}/${bucketSettings.S3_BUCKET}/media/` : undefined,
  });
  const app = await startMediaServer({ MEDIA_STORAGE: storage, ...settings(nginx.httpsOrigin) }, { port, now });
  const get = (address: string, init: { cookie?: string; headers?: Record<string, string> } = {}) =>
    rawGet(address.startsWith("https:") ? address : `${nginx.httpsOrigin}${address}`, {
      ...init,
      ca: nginx.certificatePem,
    });
  return { nginx, app, get, stop: async () => Promise.all([nginx.stop(), app.close()]) };
}

type Tier = Awaited<ReturnType<typeof tier>>;

async function expectRefusedByApp(response: Response) {
  expect(response.status).toBe(403);
  expect(await response.text()).toBe("Du har ikke adgang til denne film.");
}

/** A stranger, a person whose municipality has no seat, and a token for another version: refused by the app. */
async function expectRefusals(through: Tier, file: string) {
  const neighbour = userIdByEmail(demoEmails.neighbourLearner);
  const neighbourCookie = await sessionCookieFor(demoEmails.neighbourLearner);
  const cookie = await sessionCookieFor(demoEmails.learner);
  await expectRefusedByApp(await through.get(`${tokenPath(learner())}/${file}`));
  await expectRefusedByApp(await through.get(`${tokenPath(neighbour)}/${file}`, { cookie: neighbourCookie }));
  await expectRefusedByApp(await through.get(`${tokenPath(learner())}/${file}`, { cookie: neighbourCookie }));
  const otherVersion = `${tokenPath(learner()).replace(`/${VERSION}`, `/${OTHER_VERSION}`)}/${file}`;
  await expectRefusedByApp(await through.get(otherVersion, { cookie }));
}

// Every tier runs with the films in the folder and in the bucket.
describe.each(MEDIA_STORAGES)("films kept in %s storage", (storage: MediaStorage) => {
  // Files the folder's run left behind must not be what the bucket's run serves.
  beforeAll(() => {
    if (storage === "s3") fs.rmSync(mediaRoot(), { recursive: true, force: true });
  });

  beforeEach(async () => {
    await writeVersion(storage, VERSION);
    await writeVersion(storage, OTHER_VERSION);
    db.update(modules).set({ mediaVersion: VERSION, durationSeconds: 18 }).where(eq(modules.slug, SLUG)).run();
  });

  describe("offloaded to nginx (MEDIA_DELIVERY=nginx)", () => {
    let clock = Date.now();
    let through: Tier;
    beforeAll(async () => {
      through = await tier(
        storage,
        () => ({ MEDIA_DELIVERY: "nginx", MEDIA_ACCESS_CACHE_SECONDS: "5" }),
        () => clock,
      );
    });
    afterAll(() => through?.stop());

    it("checks the seat, then nginx sends the file: whole, in ranges and with the platform's caching", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const whole = await through.get(`${tokenPath(learner())}/360p/seg_00001.ts`, { cookie });
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer())).toEqual(SEGMENTS[1]);
      expect(whole.headers.get("Content-Type")).toBe("video/mp2t");
      expect(whole.headers.get("Cache-Control")).toBe("private, max-age=3600");
      expect(whole.headers.get("X-Accel-Redirect")).toBeNull();
      const etag = whole.headers.get("ETag") ?? "";
      expect(etag).not.toBe("");
      const unchanged = await through.get(`${tokenPath(learner())}/360p/seg_00001.ts`, {
        cookie,
        headers: { "If-None-Match": etag },
      });
      expect(unchanged.status).toBe(304);

      const part = await through.get(`${tokenPath(learner())}/360p/seg_00001.ts`, {
        cookie,
        headers: { Range: "bytes=100-1099" },
      });
      expect(part.status).toBe(206);
      expect(part.headers.get("Content-Range")).toBe(`bytes 100-1099/${SEGMENTS[1]!.length}`);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(SEGMENTS[1]!.subarray(100, 1100));

      const playlist = await through.get(`${tokenPath(learner())}/master.m3u8`, { cookie });
      expect(playlist.status).toBe(200);
      expect(playlist.headers.get("Content-Type")).toBe("application/vnd.apple.mpegurl");
      expect(playlist.headers.get("Cache-Control")).toBe("private, no-cache");
    });

    it("refuses a stranger, a person without a seat and a token for another version, and hides the internal location", async () => {
      await expectRefusals(through, "360p/seg_00000.ts");
      const cookie = await sessionCookieFor(demoEmails.learner);
      expect((await through.get(`/_media/${SLUG}/${VERSION}/360p/seg_00000.ts`, { cookie })).status).toBe(404);
      const bucketAddress = `${bucketSettings.S3_ENDPOINT.replace("://", "/")}/${bucketSettings.S3_BUCKET}`;
      const internal = `/_s3/${bucketAddress}/media/${SLUG}/${VERSION}/360p/seg_00000.ts`;
      expect((await through.get(internal, { cookie })).status).toBe(404);
      const missing = await through.get(`${tokenPath(learner())}/360p/seg_00009.ts`, { cookie });
      expect(missing.status).toBe(404);
    });

    it("stops a seat taken back within the cache time", async () => {
      const cookie = await sessionCookieFor(demoEmails.leader);
      const leader = userIdByEmail(demoEmails.leader);
      const url = `${tokenPath(leader)}/360p/seg_00000.ts`;
      expect((await through.get(url, { cookie })).status).toBe(200);
      db.update(seats).set({ revokedAt: new Date() }).where(eq(seats.userId, leader)).run();
      clock += 4_000;
      expect((await through.get(url, { cookie })).status).toBe(200);
      clock += 1_001;
      await expectRefusedByApp(await through.get(url, { cookie }));
    });
  });

  /** The signed links of a playlist, by file. */
  function linksIn(playlist: string): Map<string, URL> {
    const links = new Map<string, URL>();
    for (const line of playlist.split("\n")) {
      if (!line.startsWith("https://")) continue;
      const url = new URL(line);
      links.set(url.pathname.split("/").slice(-2).join("/"), url);
    }
    return links;
  }

  describe("signed edge links checked by nginx's secure_link (MEDIA_DELIVERY=edge)", () => {
    const LINK_SECONDS = 2;
    let through: Tier;
    beforeAll(async () => {
      through = await tier(storage, (origin) => ({
        MEDIA_DELIVERY: "edge",
        MEDIA_EDGE_SECRET: EDGE_SECRET,
        MEDIA_EDGE_URL: `${origin}/edge`,
        MEDIA_EDGE_LINK_SECONDS: String(LINK_SECONDS),
        // The default cache: playlists are checked afresh regardless.
        MEDIA_ACCESS_CACHE_SECONDS: "5",
      }));
    });
    afterAll(() => through?.stop());

    it("serves playlists from the app with links bound to the person and version that nginx alone lets through", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const master = await through.get(`${tokenPath(learner())}/master.m3u8`, { cookie });
      expect(master.status).toBe(200);
      // Playlists naming playlists stay with the platform, which checks the seat for each.
      expect(await master.text()).toContain("\n360p/index.m3u8\n");

      const issuedAt = Math.floor(Date.now() / 1000);
      const variant = await through.get(`${tokenPath(learner())}/360p/index.m3u8`, { cookie });
      expect(variant.status).toBe(200);
      expect(variant.headers.get("Cache-Control")).toBe("private, no-store");
      const links = linksIn(await variant.text());
      expect([...links.keys()]).toEqual(["360p/seg_00000.ts", "360p/seg_00001.ts", "360p/seg_00002.ts"]);
      const first = links.get("360p/seg_00000.ts")!;
      expect(first.pathname).toBe(`/edge/${SLUG}/${VERSION}/360p/seg_00000.ts`);
      expect(first.searchParams.get("u")).toBe(String(learner()));
      // Each link lives until its segment is due in the film, plus the link time.
      for (const [index, file] of [...links.keys()].entries()) {
        const expires = Number(links.get(file)!.searchParams.get("expires"));
        expect(expires - index * SEGMENT_SECONDS - LINK_SECONDS).toBeGreaterThanOrEqual(issuedAt);
        expect(expires - index * SEGMENT_SECONDS - LINK_SECONDS).toBeLessThanOrEqual(issuedAt + 1);
      }

      const segment = await through.get(first.href);
      expect(segment.status).toBe(200);
      expect(Buffer.from(await segment.arrayBuffer())).toEqual(SEGMENTS[0]);
      const part = await through.get(links.get("360p/seg_00002.ts")!.href, { headers: { Range: "bytes=10-19" } });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(SEGMENTS[2]!.subarray(10, 20));

      const subtitles = linksIn(await (await through.get(`${tokenPath(learner())}/subs/da.m3u8`, { cookie })).text());
      const cue = await through.get(subtitles.get("subs/da.vtt")!.href);
      expect(cue.status).toBe(200);
      expect(await cue.text()).toContain("Hej");
    });

    it("refuses a stranger, a person without a seat and a token for another version at the playlist", async () => {
      await expectRefusals(through, "360p/index.m3u8");
    });

    it("answers a tampered link with 403 and an expired one with 410, without asking the platform", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const variant = await through.get(`${tokenPath(learner())}/360p/index.m3u8`, { cookie });
      expect(variant.status).toBe(200);
      const link = linksIn(await variant.text()).get("360p/seg_00002.ts")!;
      const tampered = (change: (url: URL) => void) => {
        const url = new URL(link.href);
        change(url);
        return url.href;
      };
      for (const address of [
        tampered((url) => url.searchParams.set("u", String(userIdByEmail(demoEmails.neighbourLearner)))),
        tampered((url) => (url.pathname = url.pathname.replace(VERSION, OTHER_VERSION))),
        tampered((url) => (url.pathname = url.pathname.replace("seg_00002", "seg_00001"))),
        tampered((url) => url.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600))),
        tampered((url) => url.searchParams.set("md5", "AAAAAAAAAAAAAAAAAAAAAA")),
        tampered((url) => url.searchParams.delete("md5")),
      ]) {
        expect((await through.get(address)).status).toBe(403);
      }
      const sign = nginxSecureLinks(`${through.nginx.httpsOrigin}/edge`, EDGE_SECRET);
      const signed = sign({ slug: SLUG, version: VERSION, userId: learner() });
      const expired = signed("360p/seg_00000.ts", Math.floor(Date.now() / 1000) - 5);
      expect((await through.get(expired)).status).toBe(410);
    });

    it("stops a seat taken back: a new playlist at once, the links of the last one within their time", async () => {
      const cookie = await sessionCookieFor(demoEmails.leader);
      const leader = userIdByEmail(demoEmails.leader);
      const variant = await through.get(`${tokenPath(leader)}/360p/index.m3u8`, { cookie });
      expect(variant.status).toBe(200);
      const first = linksIn(await variant.text()).get("360p/seg_00000.ts")!;
      db.update(seats).set({ revokedAt: new Date() }).where(eq(seats.userId, leader)).run();
      await expectRefusedByApp(await through.get(`${tokenPath(leader)}/360p/index.m3u8`, { cookie }));
      // nginx compares with its own clock in whole seconds: wait until the link's second has passed.
      const expires = Number(first.searchParams.get("expires"));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, (expires + 1) * 1000 - Date.now() + 50)));
      expect((await through.get(first.href)).status).toBe(410);
    });
  });

  describe("signed edge links for CloudFront (MEDIA_EDGE_FORMAT=cloudfront)", () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const EDGE = "https://d111111abcdef8.cloudfront.net/film";
    const KEY_PAIR_ID = "K2JCJMDEHXQW5F";
    const LINK_SECONDS = 120;
    let app: MediaServer;
    beforeAll(async () => {
      const keyFile = path.join(inject("runDir"), "cloudfront-test-key.pem");
      fs.writeFileSync(keyFile, privateKey.export({ type: "pkcs1", format: "pem" }), { mode: 0o600 });
      app = await startMediaServer({
        MEDIA_STORAGE: storage,
        MEDIA_DELIVERY: "edge",
        MEDIA_EDGE_FORMAT: "cloudfront",
        MEDIA_EDGE_URL: EDGE,
        CLOUDFRONT_KEY_PAIR_ID: KEY_PAIR_ID,
        CLOUDFRONT_PRIVATE_KEY_FILE: keyFile,
        MEDIA_EDGE_LINK_SECONDS: String(LINK_SECONDS),
      });
    });
    afterAll(() => app?.close());

    type Policy = { Statement: [{ Resource: string; Condition: { DateLessThan: { "AWS:EpochTime": number } } }] };
    /** CloudFront's URL-safe base64: + becomes -, = becomes _, / becomes ~. */
    const fromCloudFrontBase64 = (text: string) =>
      Buffer.from(text.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
    const verifies = (policy: string, signature: string) =>
      verify("RSA-SHA1", Buffer.from(policy), publicKey, fromCloudFrontBase64(signature));
    /** How CloudFront matches a custom policy's Resource: * is any characters, ? any one, the rest literal. */
    const resourceMatches = (resource: string, url: string) =>
      new RegExp(
        `^${[...resource].map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\/]/g, "\\$&"))).join("")}$`,
      ).test(url);
    /** A signed link as CloudFront compares it with the policy: without its own three parameters. */
    const comparedUrl = (link: URL) => `${link.origin}${link.pathname}?u=${link.searchParams.get("u")}`;

    it("signs the version's folder for the person over a custom policy that verifies with the public key", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const issuedAt = Math.floor(Date.now() / 1000);
      const variant = await rawGet(`${app.origin}${tokenPath(learner())}/360p/index.m3u8`, { cookie });
      expect(variant.status).toBe(200);
      const links = linksIn(await variant.text());
      expect([...links.keys()]).toEqual(["360p/seg_00000.ts", "360p/seg_00001.ts", "360p/seg_00002.ts"]);
      for (const [index, link] of [...links.values()].entries()) {
        expect(link.searchParams.get("Key-Pair-Id")).toBe(KEY_PAIR_ID);
        expect(link.searchParams.get("u")).toBe(String(learner()));
        const encoded = fromCloudFrontBase64(link.searchParams.get("Policy") ?? "").toString("utf8");
        const signature = link.searchParams.get("Signature") ?? "";
        expect(verifies(encoded, signature)).toBe(true);
        const policy = JSON.parse(encoded) as Policy;
        const [statement] = policy.Statement;
        expect(statement.Resource).toBe(`${EDGE}/${SLUG}/${VERSION}/*?u=${learner()}`);
        // The link's expiry is rounded up to its window: never before the segment's own, at most a window later.
        const own = issuedAt + index * SEGMENT_SECONDS + LINK_SECONDS;
        const until = statement.Condition.DateLessThan["AWS:EpochTime"];
        expect(until % LINK_SECONDS).toBe(0);
        expect(until).toBeGreaterThanOrEqual(own);
        expect(until).toBeLessThan(own + 1 + LINK_SECONDS);

        // The policy opens this link, and no other version's file nor the same file for another person.
        expect(resourceMatches(statement.Resource, comparedUrl(link))).toBe(true);
        const otherVersion = new URL(link.href.replace(`/${VERSION}/`, `/${OTHER_VERSION}/`));
        expect(resourceMatches(statement.Resource, comparedUrl(otherVersion))).toBe(false);
        const otherPerson = new URL(link.href);
        otherPerson.searchParams.set("u", String(learner() + 1));
        expect(resourceMatches(statement.Resource, comparedUrl(otherPerson))).toBe(false);
        // Neither can the policy be changed under the signature: not the person, the version nor the expiry.
        const changed = (change: (statement: Policy["Statement"][0]) => void) => {
          const copy = JSON.parse(encoded) as Policy;
          change(copy.Statement[0]);
          return JSON.stringify(copy);
        };
        for (const other of [
          changed((s) => (s.Resource = s.Resource.replace(`u=${learner()}`, `u=${learner() + 1}`))),
          changed((s) => (s.Resource = s.Resource.replace(VERSION, OTHER_VERSION))),
          changed((s) => (s.Resource = `${EDGE}/*`)),
          changed((s) => (s.Condition.DateLessThan["AWS:EpochTime"] += 3600)),
        ])
          expect(verifies(other, signature)).toBe(false);
      }
    });

    it("signs a 100-segment playlist with one signature per window of link time, not one per segment", () => {
      const variant = [
        "#EXTM3U",
        ...Array.from({ length: 100 }, (_, index) => [
          `#EXTINF:6.000000,`,
          `seg_${String(index).padStart(5, "0")}.ts`,
        ]).flat(),
        "#EXT-X-ENDLIST",
      ].join("\n");
      const sign = cloudFrontLinks(
        EDGE,
        KEY_PAIR_ID,
        privateKey.export({ type: "pkcs1", format: "pem" }) as string,
        300,
      );
      // A moment on a window's edge: the 100 links expire from +300 s to +894 s, in three windows.
      const nowSeconds = 1_800_000_000;
      const signed = signPlaylist(
        variant,
        { slug: SLUG, version: VERSION, playlist: "720p/index.m3u8", userId: 7 },
        sign,
        {
          nowSeconds,
          linkSeconds: 300,
        },
      );
      const links = [...linksIn(signed).values()];
      expect(links).toHaveLength(100);
      const signatures = new Set(links.map((link) => link.searchParams.get("Signature")));
      expect(signatures.size).toBe(3);
      const untils = links.map(
        (link) =>
          (JSON.parse(fromCloudFrontBase64(link.searchParams.get("Policy") ?? "").toString("utf8")) as Policy)
            .Statement[0].Condition.DateLessThan["AWS:EpochTime"],
      );
      expect([...new Set(untils)]).toEqual([nowSeconds + 300, nowSeconds + 600, nowSeconds + 900]);
    });

    it("refuses a stranger and a token for another version before signing anything", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      expect((await rawGet(`${app.origin}${tokenPath(learner())}/360p/index.m3u8`)).status).toBe(403);
      const otherVersion = `${tokenPath(learner()).replace(`/${VERSION}`, `/${OTHER_VERSION}`)}/360p/index.m3u8`;
      expect((await rawGet(`${app.origin}${otherVersion}`, { cookie })).status).toBe(403);
    });
  });
});
