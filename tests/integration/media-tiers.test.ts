import { generateKeyPairSync, verify } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { inject } from "vitest";
import { modules, seats } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { mediaBaseUrl } from "~/media/access.server";
import { nginxSecureLinks } from "~/media/edge-links.server";
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
      const expired = sign({
        slug: SLUG,
        version: VERSION,
        file: "360p/seg_00000.ts",
        userId: learner(),
        expires: Math.floor(Date.now() / 1000) - 5,
      });
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
    let app: MediaServer;
    beforeAll(async () => {
      const keyFile = path.join(inject("runDir"), "cloudfront-test-key.pem");
      fs.writeFileSync(keyFile, privateKey.export({ type: "pkcs1", format: "pem" }), { mode: 0o600 });
      app = await startMediaServer({
        MEDIA_STORAGE: storage,
        MEDIA_DELIVERY: "edge",
        MEDIA_EDGE_FORMAT: "cloudfront",
        MEDIA_EDGE_URL: EDGE,
        CLOUDFRONT_KEY_PAIR_ID: "K2JCJMDEHXQW5F",
        CLOUDFRONT_PRIVATE_KEY_FILE: keyFile,
        MEDIA_EDGE_LINK_SECONDS: "120",
      });
    });
    afterAll(() => app?.close());

    /** CloudFront's canned policy for a URL and expiry, and whether the link's signature verifies over it. */
    function verifiesAsCanned(resource: string, expires: number, signature: string) {
      const policy = JSON.stringify({
        Statement: [{ Resource: resource, Condition: { DateLessThan: { "AWS:EpochTime": expires } } }],
      });
      // CloudFront's URL-safe base64: + becomes -, = becomes _, / becomes ~.
      const bytes = Buffer.from(signature.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
      return verify("RSA-SHA1", Buffer.from(policy), publicKey, bytes);
    }

    it("signs each segment's URL with u= over a canned policy that verifies with the public key", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      const issuedAt = Math.floor(Date.now() / 1000);
      const variant = await rawGet(`${app.origin}${tokenPath(learner())}/360p/index.m3u8`, { cookie });
      expect(variant.status).toBe(200);
      const links = linksIn(await variant.text());
      expect(links.size).toBe(3);
      for (const [index, link] of [...links.values()].entries()) {
        expect(link.searchParams.get("Key-Pair-Id")).toBe("K2JCJMDEHXQW5F");
        const expires = Number(link.searchParams.get("Expires"));
        expect(expires - index * SEGMENT_SECONDS - 120 - issuedAt).toBeGreaterThanOrEqual(0);
        expect(expires - index * SEGMENT_SECONDS - 120 - issuedAt).toBeLessThanOrEqual(1);
        const signature = link.searchParams.get("Signature") ?? "";
        const resource = `${EDGE}/${SLUG}/${VERSION}/360p/seg_0000${index}.ts?u=${learner()}`;
        expect(verifiesAsCanned(resource, expires, signature)).toBe(true);
        // The policy binds the person, the file and the expiry: none can be changed under the signature.
        expect(verifiesAsCanned(resource.replace(`u=${learner()}`, `u=${learner() + 1}`), expires, signature)).toBe(
          false,
        );
        expect(verifiesAsCanned(resource.replace(VERSION, OTHER_VERSION), expires, signature)).toBe(false);
        expect(verifiesAsCanned(resource, expires + 3600, signature)).toBe(false);
      }
    });

    it("refuses a stranger and a token for another version before signing anything", async () => {
      const cookie = await sessionCookieFor(demoEmails.learner);
      expect((await rawGet(`${app.origin}${tokenPath(learner())}/360p/index.m3u8`)).status).toBe(403);
      const otherVersion = `${tokenPath(learner()).replace(`/${VERSION}`, `/${OTHER_VERSION}`)}/360p/index.m3u8`;
      expect((await rawGet(`${app.origin}${otherVersion}`, { cookie })).status).toBe(403);
    });
  });
});
