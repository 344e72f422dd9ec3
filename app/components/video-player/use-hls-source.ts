import type Hls from "hls.js";
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { playNativeHls, RESUME_END_MARGIN_SECONDS } from "./native-hls";
import { useLatest } from "./use-latest";

/** A second fatal media error this soon after recovering hints at an audio codec mismatch. */
const MEDIA_ERROR_WINDOW_MS = 5_000;
const NETWORK_RETRY_DELAYS_MS = [1_000, 3_000, 8_000];

export type PlayerStatus = "loading" | "ready" | "recovering" | "error";

/** How an HLS audio rendition says it is audio description (RFC 8216, CHARACTERISTICS). */
const DESCRIBES_VIDEO = "public.accessibility.describes-video";
/** Someone who switched audio description on gets it in the next film too. */
const DESCRIBED_PREFERENCE_KEY = "rettidig.synstolkning";

function prefersDescribed(): boolean {
  try {
    return window.localStorage.getItem(DESCRIBED_PREFERENCE_KEY) === "1";
  } catch {
    // Storage can be switched off; the choice then lasts for this film only.
    return false;
  }
}

function rememberDescribed(on: boolean) {
  try {
    if (on) window.localStorage.setItem(DESCRIBED_PREFERENCE_KEY, "1");
    else window.localStorage.removeItem(DESCRIBED_PREFERENCE_KEY);
  } catch {
    // As above: without storage the choice is simply not remembered.
  }
}

/** The film's audio renditions as the player needs them: which is the described one, which the film's own. */
interface AudioChoice {
  main: number;
  described: number;
}

export function resumePosition(startAtSeconds: number | undefined, durationSeconds: number | null | undefined) {
  const start = startAtSeconds && Number.isFinite(startAtSeconds) ? Math.max(0, startAtSeconds) : 0;
  return durationSeconds && start > durationSeconds - RESUME_END_MARGIN_SECONDS ? 0 : start;
}

export interface HlsSourceOptions {
  /** Where to resume; ignored when it is within a few seconds of the end. */
  startAtSeconds?: number;
  durationSeconds?: number | null;
  /** The media server refused the film's address (its token expires after a long pause): the page should issue a new one. */
  onAccessExpired?: () => void;
}

/**
 * Attaches the HLS film at src to the video: through hls.js where the browser has Media Source
 * Extensions, natively otherwise (Safari), recovering from media and network errors where a
 * retry can help. Returns the loading status, a way to switch hls.js's subtitles on and off, and
 * the audio description: whether the film has it, the audio track playing, and a switch that
 * changes hls.js's audio track in place, so the picture and currentTime run on.
 */
export function useHlsSource(videoRef: RefObject<HTMLVideoElement>, src: string, options: HlsSourceOptions) {
  const [status, setStatus] = useState<PlayerStatus>("loading");
  const hlsRef = useRef<Hls | null>(null);
  const subtitleDisplayRef = useRef(true);
  const [audioChoice, setAudioChoice] = useState<AudioChoice | null>(null);
  const [audioTrack, setAudioTrack] = useState(-1);
  const latest = useLatest(options);

  // hls.js is loaded here, never at module level, so the server render never evaluates it.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const start = resumePosition(latest.current.startAtSeconds, latest.current.durationSeconds);
    let cancelled = false;
    let hls: Hls | null = null;
    let detachNative: (() => void) | null = null;
    let retryTimer: number | undefined;
    setStatus("loading");
    setAudioChoice(null);
    setAudioTrack(-1);

    const fail = () => setStatus("error");
    const playNatively = () => {
      detachNative = playNativeHls(video, src, { start, onRecovering: () => setStatus("recovering"), onFailed: fail });
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
        instance.subtitleDisplay = subtitleDisplayRef.current;

        let lastMediaRecovery = Number.NEGATIVE_INFINITY;
        let swappedAudioCodec = false;
        let networkRetries = 0;
        let accessRenewalAsked = false;
        // Fragments outside the film's own address are signed edge links (MEDIA_DELIVERY=edge).
        const filmBase = new URL(".", new URL(src, window.location.href)).href;
        let edgeRenewal: { resumePlaying: boolean; reloaded: boolean } | null = null;
        instance.on(HlsClass.Events.ERROR, (_event, data) => {
          // An edge link that expired (410) or no longer verifies (403): fetch the playlists again, so
          // the platform checks the seat once more and signs fresh links, and go on where the film was.
          // Refused there, the playlist's 403 below asks the page, which then shows "no access".
          const code = data.response?.code;
          if ((code === 403 || code === 410) && data.frag && !data.frag.url.startsWith(filmBase)) {
            // Fresh links refused as well (the edge's clock far off, a wrong secret): nothing more to try.
            if (edgeRenewal?.reloaded) return fail();
            if (!edgeRenewal) {
              edgeRenewal = { resumePlaying: !video.paused, reloaded: false };
              setStatus("recovering");
              instance.config.startPosition = video.currentTime;
              instance.loadSource(src);
            }
            return;
          }
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
        instance.on(HlsClass.Events.MANIFEST_PARSED, () => {
          if (edgeRenewal) edgeRenewal.reloaded = true;
        });
        let resumeChecked = start === 0;
        instance.on(HlsClass.Events.FRAG_BUFFERED, (_event, { frag }) => {
          networkRetries = 0;
          // Reloading the playlists gave the video a new source, which pauses it; a playing film plays on.
          if (edgeRenewal?.resumePlaying && frag.type === "main") void video.play().catch(() => undefined);
          if (frag.type === "main") edgeRenewal = null;
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
          instance.subtitleDisplay = subtitleDisplayRef.current;
        });
        instance.on(HlsClass.Events.AUDIO_TRACKS_UPDATED, (_event, { audioTracks }) => {
          const described = audioTracks.findIndex((track) => track.characteristics?.includes(DESCRIBES_VIDEO));
          const main = audioTracks.findIndex((track) => !track.characteristics?.includes(DESCRIBES_VIDEO));
          setAudioChoice(described >= 0 && main >= 0 ? { main, described } : null);
          if (described >= 0 && prefersDescribed()) instance.audioTrack = described;
        });
        instance.on(HlsClass.Events.AUDIO_TRACK_SWITCHED, (_event, { id }) => setAudioTrack(id));
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
      detachNative?.();
      if (hls) {
        hls.destroy();
        hlsRef.current = null;
      } else if (video.getAttribute("src")) {
        video.removeAttribute("src");
        video.load();
      }
    };
  }, [videoRef, src, latest]);

  const showSubtitles = useCallback((on: boolean) => {
    subtitleDisplayRef.current = on;
    if (hlsRef.current) hlsRef.current.subtitleDisplay = on;
  }, []);

  const setDescribed = useCallback(
    (on: boolean) => {
      if (!audioChoice || !hlsRef.current) return;
      rememberDescribed(on);
      hlsRef.current.audioTrack = on ? audioChoice.described : audioChoice.main;
    },
    [audioChoice],
  );

  const audioDescription = {
    available: audioChoice !== null,
    on: audioChoice !== null && audioTrack === audioChoice.described,
    audioTrack,
    setDescribed,
  };
  return { status, setStatus, showSubtitles, audioDescription };
}
