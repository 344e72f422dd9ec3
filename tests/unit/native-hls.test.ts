import { NATIVE_RELOADS, playNativeHls, type NativeVideo } from "~/components/video-player/native-hls";

/**
 * A stand-in for a video element playing HLS itself, as Safari's does: it counts loads and plays
 * and lets the test fire the element's events in orders no browser produces on demand (the browser
 * test in playback.spec.ts runs the one path Chromium's own HLS can show).
 */
class SafariVideo extends EventTarget {
  currentTime = 0;
  duration = Number.NaN;
  paused = true;
  src = "";
  loads = 0;
  plays = 0;
  constructor(private readonly hls = "maybe") {
    super();
  }
  canPlayType(type: string): CanPlayTypeResult {
    return type === "application/vnd.apple.mpegurl" ? (this.hls as CanPlayTypeResult) : "";
  }
  load() {
    // The media element load algorithm pauses and starts the source over.
    this.loads += 1;
    this.paused = true;
    this.currentTime = 0;
  }
  play() {
    this.plays += 1;
    this.paused = false;
    return Promise.resolve();
  }
  fire(type: "loadedmetadata" | "canplay" | "error") {
    this.dispatchEvent(new Event(type));
  }
  /** A film of a minute, its metadata and first frames loaded. */
  ready() {
    this.duration = 60;
    this.fire("loadedmetadata");
    this.fire("canplay");
  }
}

function attach(video: SafariVideo, start = 0) {
  const seen: string[] = [];
  const detach = playNativeHls(video as unknown as NativeVideo, "/media/token/v1/master.m3u8", {
    start,
    onRecovering: () => seen.push("recovering"),
    onFailed: () => seen.push("failed"),
  });
  return { seen, detach };
}

describe("the native HLS path (Safari without hls.js)", () => {
  it("plays the master playlist and starts at the resume point", () => {
    const video = new SafariVideo();
    const { seen } = attach(video, 12);
    expect(video.src).toBe("/media/token/v1/master.m3u8");
    video.ready();
    expect(video.currentTime).toBe(12);
    expect(seen).toEqual([]);
  });

  it("reloads the master playlist after an error and goes on playing where the film was", () => {
    const video = new SafariVideo();
    const { seen } = attach(video);
    video.ready();
    void video.play();
    video.currentTime = 31.5;
    // An edge link expired (410) or was refused (403): Safari reports only an error of the element.
    video.fire("error");
    expect(seen).toEqual(["recovering"]);
    expect(video.loads).toBe(1);
    expect(video.paused).toBe(true);
    video.ready();
    expect(video.currentTime).toBe(31.5);
    expect(video.paused).toBe(false);
    expect(video.plays).toBe(2);
  });

  it("reloads a paused film without starting it", () => {
    const video = new SafariVideo();
    attach(video);
    video.ready();
    video.currentTime = 20;
    video.fire("error");
    video.ready();
    expect(video.currentTime).toBe(20);
    expect(video.paused).toBe(true);
    expect(video.plays).toBe(0);
  });

  it(`gives up after ${NATIVE_RELOADS} reloads in a row that never get the film ready, and counts afresh once it plays`, () => {
    const video = new SafariVideo();
    const { seen } = attach(video);
    video.ready();
    void video.play();
    video.currentTime = 40;
    // Each reload reaches the metadata, but the segments are refused again (say, a wrong edge secret).
    for (let reload = 0; reload < NATIVE_RELOADS; reload++) {
      video.fire("error");
      video.fire("loadedmetadata");
      expect(video.currentTime).toBe(40);
    }
    expect(video.loads).toBe(NATIVE_RELOADS);
    expect(seen).not.toContain("failed");
    video.fire("error");
    expect(seen.at(-1)).toBe("failed");
    expect(video.loads).toBe(NATIVE_RELOADS);

    // A film that got ready again in between has its reloads counted from nothing.
    const later = new SafariVideo();
    const after = attach(later);
    later.ready();
    for (let round = 0; round < NATIVE_RELOADS + 2; round++) {
      later.fire("error");
      later.ready();
    }
    expect(later.loads).toBe(NATIVE_RELOADS + 2);
    expect(after.seen).not.toContain("failed");
  });

  it("fails at once where the browser cannot play HLS itself, and does nothing once detached", () => {
    const unable = new SafariVideo("");
    expect(attach(unable).seen).toEqual(["failed"]);
    expect(unable.src).toBe("");

    const video = new SafariVideo();
    const { seen, detach } = attach(video);
    detach();
    video.fire("error");
    expect(video.loads).toBe(0);
    expect(seen).toEqual([]);
  });
});
