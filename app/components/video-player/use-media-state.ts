import { useEffect, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from "react";
import type { PlayerStatus } from "./use-hls-source";

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

export interface MediaStateOptions {
  /** Where the film starts, shown until the video says otherwise. */
  initialTime: number;
  setStatus: Dispatch<SetStateAction<PlayerStatus>>;
  /** Switches the source's own subtitle rendering (hls.js) along with the text tracks. */
  showSubtitles: (on: boolean) => void;
}

/**
 * The player's state as the controls show it, mirrored from the video element's events (the
 * element stays the truth), and the actions the buttons and keys take on the element.
 */
export function useMediaState(
  videoRef: RefObject<HTMLVideoElement>,
  rootRef: RefObject<HTMLDivElement>,
  { initialTime, setStatus, showSubtitles }: MediaStateOptions,
) {
  const playWhenAttachedRef = useRef(false);
  const [playing, setPlaying] = useState(false);
  const [currentTime, setCurrentTime] = useState(initialTime);
  const [duration, setDuration] = useState(0);
  const [muted, setMuted] = useState(false);
  const [volume, setVolume] = useState(1);
  const [playbackRate, setPlaybackRate] = useState(1);
  const [subtitlesOn, setSubtitlesOn] = useState(true);
  const [canFullscreen, setCanFullscreen] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const showTime = () => setCurrentTime(video.currentTime);
    const onPlay = () => {
      setPlaying(true);
      showTime();
    };
    const onPause = () => setPlaying(false);
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

    const listeners: [string, () => void][] = [
      ["play", onPlay],
      ["pause", onPause],
      ["timeupdate", showTime],
      ["seeking", showTime],
      ["durationchange", onDuration],
      ["loadedmetadata", onDuration],
      ["loadedmetadata", onReady],
      ["loadedmetadata", onMetadata],
      ["playing", onReady],
      ["canplay", onReady],
      ["waiting", onWaiting],
      ["volumechange", onVolume],
      ["ratechange", onRate],
    ];
    for (const [type, listener] of listeners) video.addEventListener(type, listener);
    return () => {
      for (const [type, listener] of listeners) video.removeEventListener(type, listener);
    };
  }, [videoRef, setStatus]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    showSubtitles(subtitlesOn);
    applySubtitleMode(video, subtitlesOn);
    // hls.js (and Safari's native HLS) add their tracks whenever the playlist is read.
    const onAddTrack = () => applySubtitleMode(video, subtitlesOn);
    video.textTracks.addEventListener("addtrack", onAddTrack);
    return () => video.textTracks.removeEventListener("addtrack", onAddTrack);
  }, [videoRef, subtitlesOn, showSubtitles]);

  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    setCanFullscreen(document.fullscreenEnabled && typeof root.requestFullscreen === "function");
    const onChange = () => setFullscreen(document.fullscreenElement === root);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, [rootRef]);

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

  const changeSpeed = (rate: number) => {
    if (videoRef.current) videoRef.current.playbackRate = rate;
  };

  const toggleSubtitles = () => setSubtitlesOn((on) => !on);

  const toggleFullscreen = () => {
    const root = rootRef.current;
    if (!root) return;
    // fullscreenchange drives the state, so a refused request needs no handling here.
    const request = document.fullscreenElement === root ? document.exitFullscreen() : root.requestFullscreen();
    request.catch(() => undefined);
  };

  return {
    playing,
    currentTime,
    duration,
    muted,
    volume,
    playbackRate,
    subtitlesOn,
    canFullscreen,
    fullscreen,
    togglePlay,
    seekTo,
    toggleMute,
    changeVolume,
    changeSpeed,
    toggleSubtitles,
    toggleFullscreen,
  };
}
