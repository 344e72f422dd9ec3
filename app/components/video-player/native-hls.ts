/** Resuming this close to the end would show the credits and nothing else. */
export const RESUME_END_MARGIN_SECONDS = 3;
/** Reloads in a row, without the film getting ready in between, before the native player gives up. */
export const NATIVE_RELOADS = 3;

/** What of a video element the native path uses, so a test can hand it a stand-in. */
export type NativeVideo = Pick<
  HTMLVideoElement,
  | "currentTime"
  | "duration"
  | "paused"
  | "src"
  | "canPlayType"
  | "load"
  | "play"
  | "addEventListener"
  | "removeEventListener"
>;

export type NativeHlsOptions = {
  /** Where to start; ignored when it is within a few seconds of the end. */
  start: number;
  onRecovering: () => void;
  onFailed: () => void;
};

/**
 * Plays the HLS film at src with the browser's own HLS (Safari without hls.js). Safari tells
 * neither which address failed nor its status, so an error of the video element is met as the
 * hls.js path meets a 403 or 410 from an edge link: the master playlist is loaded again – the
 * platform checks the seat once more and signs fresh links – and the film goes on from where it
 * was, playing if it played. After NATIVE_RELOADS reloads without the film getting ready in
 * between (a refused playlist, links the edge never accepts, a film the browser cannot decode) it
 * gives up. Returns what detaches it.
 */
export function playNativeHls(video: NativeVideo, src: string, { start, onRecovering, onFailed }: NativeHlsOptions) {
  if (!video.canPlayType("application/vnd.apple.mpegurl")) {
    onFailed();
    return () => undefined;
  }
  let reloads = 0;
  // Where the film was when the first error of a row came, and whether it was playing: reloading pauses it.
  let resume: { at: number; playing: boolean } | null = null;

  const onMetadata = () => {
    if (resume) {
      if (resume.at > 0) video.currentTime = resume.at;
      if (resume.playing) void video.play().catch(() => undefined);
      return;
    }
    const from = Number.isFinite(video.duration) && start > video.duration - RESUME_END_MARGIN_SECONDS ? 0 : start;
    if (from > 0) video.currentTime = from;
  };
  const onReady = () => {
    reloads = 0;
    resume = null;
  };
  const onError = () => {
    if (reloads >= NATIVE_RELOADS) return onFailed();
    reloads += 1;
    resume ??= { at: video.currentTime > 0 ? video.currentTime : start, playing: !video.paused };
    onRecovering();
    video.load();
  };

  video.addEventListener("loadedmetadata", onMetadata);
  video.addEventListener("canplay", onReady);
  video.addEventListener("error", onError);
  video.src = src;
  return () => {
    video.removeEventListener("loadedmetadata", onMetadata);
    video.removeEventListener("canplay", onReady);
    video.removeEventListener("error", onError);
  };
}
