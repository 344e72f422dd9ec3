import type Hls from "hls.js";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { formatClock, formatPercent, intlLocale, useLanguage, useT } from "~/i18n/i18n";
import { PlayedRangeTracker, type ProgressReport } from "~/learning/played-ranges";
import type { ProgressStatus } from "~/learning/progress.server";

export type VideoPlayerProps = {
  /** URL of the HLS multivariant playlist (master.m3u8). */
  src: string;
  poster?: string;
  /** Film title, used in the player's accessible name. */
  title: string;
  /** Where to resume; ignored when it is within a few seconds of the end. */
  startAtSeconds?: number;
  durationSeconds?: number | null;
  /** Where to POST the ranges watched since the player mounted. */
  progress?: { endpoint: string; viewId: string };
  /** Called with the server's account of the progress after each report it has saved. */
  onProgressSaved?: (status: ProgressStatus) => void;
  /** The media server refused the film's address (its token expires after a long pause): the page should issue a new one. */
  onAccessExpired?: () => void;
};

const SPEEDS = [0.75, 1, 1.25, 1.5, 2];
const SEEK_STEP_SECONDS = 5;
const REPORT_INTERVAL_MS = 10_000;
/** Resuming this close to the end would show the credits and nothing else. */
const RESUME_END_MARGIN_SECONDS = 3;
/** A second fatal media error this soon after recovering hints at an audio codec mismatch. */
const MEDIA_ERROR_WINDOW_MS = 5_000;
const NETWORK_RETRY_DELAYS_MS = [1_000, 3_000, 8_000];

type Status = "loading" | "ready" | "recovering" | "error";

function resumePosition(startAtSeconds: number | undefined, durationSeconds: number | null | undefined) {
  const start = startAtSeconds && Number.isFinite(startAtSeconds) ? Math.max(0, startAtSeconds) : 0;
  return durationSeconds && start > durationSeconds - RESUME_END_MARGIN_SECONDS ? 0 : start;
}

const hundredths = (seconds: number) => Math.round(seconds * 100) / 100;

function observePlayback(tracker: PlayedRangeTracker, video: HTMLVideoElement) {
  tracker.observe(video.currentTime, {
    playing: !video.paused,
    playbackRate: video.playbackRate,
    now: performance.now(),
  });
}

/** Shows the Danish track (or the first one) and keeps every other subtitle track out of the way. */
function applySubtitleMode(video: HTMLVideoElement, on: boolean) {
  const tracks = Array.from(video.textTracks).filter(
    (track) => track.kind === "subtitles" || track.kind === "captions",
  );
  const chosen = tracks.find((track) => track.language.toLowerCase().startsWith("da")) ?? tracks[0];
  for (const track of tracks) {
    const mode: TextTrackMode = track === chosen ? (on ? "showing" : "hidden") : "disabled";
    if (track.mode !== mode) track.mode = mode;
  }
}

export function VideoPlayer({
  src,
  poster,
  title,
  startAtSeconds,
  durationSeconds,
  progress,
  onProgressSaved,
  onAccessExpired,
}: VideoPlayerProps) {
  const t = useT();
  const language = useLanguage();
  const hintId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const hlsRef = useRef<Hls | null>(null);
  const [tracker] = useState(() => new PlayedRangeTracker());
  const lastSentRef = useRef<string | null>(null);
  const playWhenAttachedRef = useRef(false);
  const inFlightRef = useRef<string | null>(null);

  // Effects read the newest props through this ref, so a parent re-render never reloads the film.
  const latest = useRef({ startAtSeconds, durationSeconds, progress, onProgressSaved, onAccessExpired });
  useEffect(() => {
    latest.current = { startAtSeconds, durationSeconds, progress, onProgressSaved, onAccessExpired };
  });

  const [status, setStatus] = useState<Status>("loading");
  const [playing, setPlaying] = useState(false);
  const [currentTime, setCurrentTime] = useState(() => resumePosition(startAtSeconds, durationSeconds));
  const [duration, setDuration] = useState(0);
  const [muted, setMuted] = useState(false);
  const [volume, setVolume] = useState(1);
  const [playbackRate, setPlaybackRate] = useState(1);
  const [subtitlesOn, setSubtitlesOn] = useState(true);
  const subtitlesOnRef = useRef(subtitlesOn);
  const [canFullscreen, setCanFullscreen] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);

  const report = useCallback(
    (video: HTMLVideoElement, via: "fetch" | "beacon") => {
      const target = latest.current.progress;
      if (!target) return;
      // timeupdate lags by up to 250 ms; a report sent on leaving should include that last stretch.
      observePlayback(tracker, video);
      const ranges = tracker.ranges().map(([start, end]): [number, number] => [hundredths(start), hundredths(end)]);
      if (ranges.length === 0) return;
      const body: ProgressReport = {
        viewId: target.viewId,
        ranges,
        positionSeconds: hundredths(video.currentTime),
        ended: video.ended,
      };
      const json = JSON.stringify(body);
      if (json === lastSentRef.current || json === inFlightRef.current) return;

      // A beacon gets no answer, so only fetched reports update what the page shows.
      if (
        via === "beacon" &&
        typeof navigator.sendBeacon === "function" &&
        navigator.sendBeacon(target.endpoint, new Blob([json], { type: "application/json" }))
      ) {
        lastSentRef.current = json;
        return;
      }
      inFlightRef.current = json;
      fetch(target.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: json,
        keepalive: true,
        credentials: "same-origin",
      })
        .then(
          async (response) => {
            if (!response.ok) return;
            lastSentRef.current = json;
            latest.current.onProgressSaved?.((await response.json()) as ProgressStatus);
          },
          // The ranges are cumulative, so the next report carries whatever this one lost.
          () => undefined,
        )
        .finally(() => {
          if (inFlightRef.current === json) inFlightRef.current = null;
        });
    },
    [tracker],
  );

  // Leaving the page or the route must not lose the last seconds watched. Declared before the
  // source effect so that, on unmount, this cleanup still sees the element before hls.js detaches it.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const onVisibility = () => {
      if (document.visibilityState === "hidden") report(video, "beacon");
    };
    const onPageHide = () => report(video, "beacon");
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onPageHide);
      report(video, "beacon");
    };
  }, [report]);

  // Attach the source. hls.js is loaded here, never at module level, so the server render never evaluates it.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const start = resumePosition(latest.current.startAtSeconds, latest.current.durationSeconds);
    let cancelled = false;
    let hls: Hls | null = null;
    let retryTimer: number | undefined;
    setStatus("loading");

    const fail = () => setStatus("error");
    const seekToStart = () => {
      const from = Number.isFinite(video.duration) && start > video.duration - RESUME_END_MARGIN_SECONDS ? 0 : start;
      if (from > 0) video.currentTime = from;
    };
    const playNatively = () => {
      if (!video.canPlayType("application/vnd.apple.mpegurl")) return fail();
      video.addEventListener("error", fail);
      video.addEventListener("loadedmetadata", seekToStart, { once: true });
      video.src = src;
    };

    import("hls.js").then(
      ({ default: HlsClass }) => {
        if (cancelled) return;
        if (!HlsClass.isSupported()) return playNatively();
        const instance = new HlsClass({
          capLevelToPlayerSize: true,
          startLevel: -1,
          enableWebVTT: true,
          renderTextTracksNatively: true,
          startPosition: start,
        });
        hls = instance;
        hlsRef.current = instance;
        instance.subtitleDisplay = subtitlesOnRef.current;

        let lastMediaRecovery = Number.NEGATIVE_INFINITY;
        let swappedAudioCodec = false;
        let networkRetries = 0;
        let accessRenewalAsked = false;
        instance.on(HlsClass.Events.ERROR, (_event, data) => {
          // hls.js would switch rendition or give up on a 403, but no retry of the same address can
          // succeed: the token has expired (or access has ended), and a fresh page load settles which.
          if (data.response?.code === 403 && latest.current.onAccessExpired) {
            if (!accessRenewalAsked) {
              accessRenewalAsked = true;
              setStatus("recovering");
              instance.stopLoad();
              latest.current.onAccessExpired();
            }
            return;
          }
          if (!data.fatal) return;
          if (data.type === HlsClass.ErrorTypes.MEDIA_ERROR) {
            const now = performance.now();
            const again = now - lastMediaRecovery < MEDIA_ERROR_WINDOW_MS;
            if (again && swappedAudioCodec) return fail();
            if (again) {
              instance.swapAudioCodec();
              swappedAudioCodec = true;
            }
            lastMediaRecovery = now;
            setStatus("recovering");
            instance.recoverMediaError();
          } else if (
            data.type === HlsClass.ErrorTypes.NETWORK_ERROR &&
            networkRetries < NETWORK_RETRY_DELAYS_MS.length
          ) {
            setStatus("recovering");
            // startLoad() resumes fragment loading but never refetches a multivariant playlist that failed.
            const retry = () => (instance.levels.length > 0 ? instance.startLoad() : instance.loadSource(src));
            retryTimer = window.setTimeout(retry, NETWORK_RETRY_DELAYS_MS[networkRetries]);
            networkRetries += 1;
          } else {
            fail();
          }
        });
        let resumeChecked = start === 0;
        instance.on(HlsClass.Events.FRAG_BUFFERED, (_event, { frag }) => {
          networkRetries = 0;
          setStatus((current) => (current === "recovering" ? "ready" : current));
          // Without durationSeconds, a resume point near the end is only detectable now. hls.js has just
          // made its own seek to startPosition, and a later startLoad(0) would be overridden by it.
          if (!resumeChecked && frag.type === "main") {
            resumeChecked = true;
            if (start > video.duration - RESUME_END_MARGIN_SECONDS) video.currentTime = 0;
          }
        });
        instance.on(HlsClass.Events.SUBTITLE_TRACKS_UPDATED, (_event, { subtitleTracks }) => {
          const danish = subtitleTracks.findIndex((track) => track.lang?.toLowerCase().startsWith("da"));
          if (subtitleTracks.length > 0) instance.subtitleTrack = Math.max(0, danish);
          instance.subtitleDisplay = subtitlesOnRef.current;
        });
        instance.loadSource(src);
        instance.attachMedia(video);
      },
      () => {
        // Without the hls.js chunk (say, after a redeploy), Safari can still play HLS itself.
        if (!cancelled) playNatively();
      },
    );

    return () => {
      cancelled = true;
      window.clearTimeout(retryTimer);
      video.removeEventListener("error", fail);
      video.removeEventListener("loadedmetadata", seekToStart);
      if (hls) {
        hls.destroy();
        hlsRef.current = null;
      } else if (video.getAttribute("src")) {
        video.removeAttribute("src");
        video.load();
      }
    };
  }, [src]);

  // Mirror the media element into state and feed the played-range tracker.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const observe = () => {
      observePlayback(tracker, video);
      setCurrentTime(video.currentTime);
    };
    const onPlay = () => {
      setPlaying(true);
      observe();
    };
    const onPause = () => {
      setPlaying(false);
      report(video, "fetch");
    };
    const onSeeking = () => {
      tracker.seeking();
      setCurrentTime(video.currentTime);
    };
    const onDuration = () => {
      if (Number.isFinite(video.duration)) setDuration(video.duration);
    };
    const onReady = () => setStatus((current) => (current === "error" ? current : "ready"));
    const onWaiting = () => setStatus((current) => (current === "ready" ? "loading" : current));
    const onVolume = () => {
      setMuted(video.muted);
      setVolume(video.volume);
    };
    const onRate = () => setPlaybackRate(video.playbackRate);
    const onMetadata = () => {
      if (!playWhenAttachedRef.current) return;
      playWhenAttachedRef.current = false;
      video.play().catch(() => undefined);
    };
    const onEnded = () => report(video, "fetch");

    const listeners: [string, () => void][] = [
      ["play", onPlay],
      ["pause", onPause],
      ["timeupdate", observe],
      ["seeking", onSeeking],
      ["durationchange", onDuration],
      ["loadedmetadata", onDuration],
      ["loadedmetadata", onReady],
      ["loadedmetadata", onMetadata],
      ["playing", onReady],
      ["canplay", onReady],
      ["waiting", onWaiting],
      ["volumechange", onVolume],
      ["ratechange", onRate],
      ["ended", onEnded],
    ];
    for (const [type, listener] of listeners) video.addEventListener(type, listener);
    return () => {
      for (const [type, listener] of listeners) video.removeEventListener(type, listener);
    };
  }, [tracker, report]);

  useEffect(() => {
    const video = videoRef.current;
    if (!playing || !video) return;
    const timer = window.setInterval(() => report(video, "fetch"), REPORT_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [playing, report]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    subtitlesOnRef.current = subtitlesOn;
    if (hlsRef.current) hlsRef.current.subtitleDisplay = subtitlesOn;
    applySubtitleMode(video, subtitlesOn);
    // hls.js (and Safari's native HLS) add their tracks whenever the playlist is read.
    const onAddTrack = () => applySubtitleMode(video, subtitlesOnRef.current);
    video.textTracks.addEventListener("addtrack", onAddTrack);
    return () => video.textTracks.removeEventListener("addtrack", onAddTrack);
  }, [subtitlesOn]);

  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    setCanFullscreen(document.fullscreenEnabled && typeof root.requestFullscreen === "function");
    const onChange = () => setFullscreen(document.fullscreenElement === root);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);

  const togglePlay = () => {
    const video = videoRef.current;
    if (!video) return;
    if (!video.src && !video.currentSrc) {
      // hls.js is still loading and no source is attached: play() would fail, so remember the wish.
      playWhenAttachedRef.current = true;
      return;
    }
    if (video.paused || video.ended) {
      // A refused or interrupted play() leaves the element paused, and the UI follows its events.
      video.play().catch(() => undefined);
    } else {
      video.pause();
    }
  };

  const seekTo = (seconds: number) => {
    const video = videoRef.current;
    if (!video || !Number.isFinite(video.duration)) return;
    video.currentTime = Math.min(Math.max(0, seconds), video.duration);
    setCurrentTime(video.currentTime);
  };

  const toggleMute = () => {
    const video = videoRef.current;
    if (video) video.muted = !video.muted;
  };

  const changeVolume = (value: number) => {
    const video = videoRef.current;
    if (!video) return;
    video.volume = value;
    video.muted = value === 0;
  };

  const toggleFullscreen = () => {
    const root = rootRef.current;
    if (!root) return;
    // fullscreenchange drives the state, so a refused request needs no handling here.
    const request = document.fullscreenElement === root ? document.exitFullscreen() : root.requestFullscreen();
    request.catch(() => undefined);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    const target = event.target as HTMLElement;
    // Sliders and the speed menu use the arrow keys and letters themselves.
    if (target.closest("input, select, textarea")) return;
    switch (event.key.toLowerCase()) {
      case " ":
        // A focused button already answers Space with its own click.
        if (target.closest("button")) return;
        togglePlay();
        break;
      case "k":
        togglePlay();
        break;
      case "arrowleft":
        seekTo((videoRef.current?.currentTime ?? 0) - SEEK_STEP_SECONDS);
        break;
      case "arrowright":
        seekTo((videoRef.current?.currentTime ?? 0) + SEEK_STEP_SECONDS);
        break;
      case "m":
        toggleMute();
        break;
      case "c":
        setSubtitlesOn((on) => !on);
        break;
      case "f":
        if (!canFullscreen) return;
        toggleFullscreen();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const shownDuration = duration || durationSeconds || 0;
  const speedFormat = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 2 });
  const statusText = status === "loading" ? t("player.loading") : status === "recovering" ? t("player.recovering") : "";
  const playLabel = playing ? t("player.pause") : t("player.play");
  const muteLabel = muted ? t("player.unmute") : t("player.mute");
  const fullscreenLabel = fullscreen ? t("player.exitFullscreen") : t("player.fullscreen");

  return (
    // The player is one keyboard-operable region (space, arrows, f, m, c), as native players are;
    // its buttons stay the way for those who do not know the keys.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <div
      ref={rootRef}
      className="player-root"
      data-testid="video-player"
      role="region"
      aria-label={t("player.region", { title })}
      aria-describedby={hintId}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      {/* Clicking the picture is a shortcut only; keyboard users have the Play button and the region's keys. */}
      {/* Captions come as HLS subtitle renditions that hls.js adds as text tracks, not as <track> children. */}
      {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
      <video
        ref={videoRef}
        className="player-video"
        poster={poster}
        preload="metadata"
        playsInline
        onClick={togglePlay}
      />
      <div className="player-controls">
        <input
          type="range"
          className="player-seek"
          min={0}
          max={shownDuration}
          step={1}
          value={Math.min(currentTime, shownDuration)}
          disabled={!duration}
          aria-label={t("player.seek")}
          aria-valuetext={t("player.seekValue", {
            current: formatClock(currentTime),
            duration: formatClock(shownDuration),
          })}
          onChange={(event) => seekTo(Number(event.currentTarget.value))}
        />
        <div className="player-bar">
          <button type="button" className="player-button" onClick={togglePlay}>
            {playing ? <PauseIcon /> : <PlayIcon />}
            <span className="player-visually-hidden">{playLabel}</span>
          </button>
          <span className="player-time">
            {formatClock(currentTime)} / {formatClock(shownDuration)}
          </span>
          <div className="player-volume">
            <button type="button" className="player-button" onClick={toggleMute}>
              <VolumeIcon muted={muted || volume === 0} />
              <span className="player-visually-hidden">{muteLabel}</span>
            </button>
            <input
              type="range"
              className="player-volume-slider"
              min={0}
              max={1}
              step={0.05}
              value={muted ? 0 : volume}
              aria-label={t("player.volume")}
              aria-valuetext={formatPercent(language, muted ? 0 : volume)}
              onChange={(event) => changeVolume(Number(event.currentTarget.value))}
            />
          </div>
          <button
            type="button"
            className="player-button"
            aria-pressed={subtitlesOn}
            onClick={() => setSubtitlesOn((on) => !on)}
          >
            <SubtitlesIcon />
            <span className="player-visually-hidden">{t("player.subtitles")}</span>
          </button>
          <select
            className="player-speed"
            value={String(playbackRate)}
            aria-label={t("player.speed")}
            onChange={(event) => {
              if (videoRef.current) videoRef.current.playbackRate = Number(event.currentTarget.value);
            }}
          >
            {SPEEDS.map((speed) => (
              <option key={speed} value={String(speed)}>
                {`${speedFormat.format(speed)}×`}
              </option>
            ))}
          </select>
          {canFullscreen ? (
            <button type="button" className="player-button" onClick={toggleFullscreen}>
              <FullscreenIcon exit={fullscreen} />
              <span className="player-visually-hidden">{fullscreenLabel}</span>
            </button>
          ) : null}
        </div>
      </div>
      <p role="status" className="player-status">
        {statusText}
      </p>
      <p role="alert" className="player-error">
        {status === "error" ? t("player.error") : ""}
      </p>
      <p id={hintId} className="player-hint">
        {t("player.keyboardHint")}
      </p>
    </div>
  );
}

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      className="player-icon"
      viewBox="0 0 24 24"
      width="24"
      height="24"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  );
}

function PlayIcon() {
  return (
    <Icon>
      <path d="M8 5v14l11-7z" fill="currentColor" />
    </Icon>
  );
}

function PauseIcon() {
  return (
    <Icon>
      <path d="M7 5v14M17 5v14" strokeWidth="4" strokeLinecap="butt" />
    </Icon>
  );
}

function VolumeIcon({ muted }: { muted: boolean }) {
  return (
    <Icon>
      <path d="M4 9.5v5h3.5L12 18V6L7.5 9.5z" fill="currentColor" />
      {muted ? <path d="M16 9.5l5 5M21 9.5l-5 5" /> : <path d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11" />}
    </Icon>
  );
}

function SubtitlesIcon() {
  return (
    <Icon>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="M7 12h3M13 12h4M7 15.5h10" />
    </Icon>
  );
}

function FullscreenIcon({ exit }: { exit: boolean }) {
  return (
    <Icon>
      {exit ? <path d="M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5" /> : <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />}
    </Icon>
  );
}
