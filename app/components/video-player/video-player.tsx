import { useId, useRef, type KeyboardEvent } from "react";
import { formatClock, formatPercent, intlLocale, useLanguage, useT } from "~/i18n/i18n";
import { AudioDescriptionIcon, FullscreenIcon, PauseIcon, PlayIcon, SubtitlesIcon, VolumeIcon } from "./icons";
import { resumePosition, useHlsSource, type HlsSourceOptions } from "./use-hls-source";
import { useMediaState } from "./use-media-state";
import { useProgressReporter, type ProgressTarget } from "./use-progress-reporter";

export type VideoPlayerProps = HlsSourceOptions &
  ProgressTarget & {
    /** URL of the HLS multivariant playlist (master.m3u8). */
    src: string;
    poster?: string;
    /** Film title, used in the player's accessible name. */
    title: string;
  };

const SPEEDS = [0.75, 1, 1.25, 1.5, 2];
const SEEK_STEP_SECONDS = 5;

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
  // Before the source: on unmount, the last report must still see the element hls.js then detaches.
  useProgressReporter(videoRef, { progress, onProgressSaved });
  const { status, setStatus, showSubtitles, audioDescription } = useHlsSource(videoRef, src, {
    startAtSeconds,
    durationSeconds,
    onAccessExpired,
  });
  const media = useMediaState(videoRef, rootRef, {
    initialTime: resumePosition(startAtSeconds, durationSeconds),
    setStatus,
    showSubtitles,
  });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    const target = event.target as HTMLElement;
    // Sliders and the speed menu use the arrow keys and letters themselves.
    if (target.closest("input, select, textarea")) return;
    switch (event.key.toLowerCase()) {
      case " ":
        // A focused button already answers Space with its own click.
        if (target.closest("button")) return;
        media.togglePlay();
        break;
      case "k":
        media.togglePlay();
        break;
      case "arrowleft":
        media.seekTo((videoRef.current?.currentTime ?? 0) - SEEK_STEP_SECONDS);
        break;
      case "arrowright":
        media.seekTo((videoRef.current?.currentTime ?? 0) + SEEK_STEP_SECONDS);
        break;
      case "m":
        media.toggleMute();
        break;
      case "c":
        media.toggleSubtitles();
        break;
      case "d":
        if (!audioDescription.available) return;
        audioDescription.setDescribed(!audioDescription.on);
        break;
      case "f":
        if (!media.canFullscreen) return;
        media.toggleFullscreen();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const shownDuration = media.duration || durationSeconds || 0;
  const speedFormat = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 2 });
  const statusText = status === "loading" ? t("player.loading") : status === "recovering" ? t("player.recovering") : "";
  const playLabel = media.playing ? t("player.pause") : t("player.play");
  const muteLabel = media.muted ? t("player.unmute") : t("player.mute");
  const fullscreenLabel = media.fullscreen ? t("player.exitFullscreen") : t("player.fullscreen");

  return (
    // The player is one keyboard-operable region (space, arrows, f, m, c), as native players are;
    // its buttons stay the way for those who do not know the keys.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <div
      ref={rootRef}
      className="player-root"
      data-testid="video-player"
      // The audio track hls.js plays, for tests that switch audio description while the film runs.
      data-audio-track={audioDescription.audioTrack}
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
        onClick={media.togglePlay}
      />
      <div className="player-controls">
        <input
          type="range"
          className="player-seek"
          min={0}
          max={shownDuration}
          step={1}
          value={Math.min(media.currentTime, shownDuration)}
          disabled={!media.duration}
          aria-label={t("player.seek")}
          aria-valuetext={t("player.seekValue", {
            current: formatClock(media.currentTime),
            duration: formatClock(shownDuration),
          })}
          onChange={(event) => media.seekTo(Number(event.currentTarget.value))}
        />
        <div className="player-bar">
          <button type="button" className="player-button" onClick={media.togglePlay}>
            {media.playing ? <PauseIcon /> : <PlayIcon />}
            <span className="player-visually-hidden">{playLabel}</span>
          </button>
          <span className="player-time">
            {formatClock(media.currentTime)} / {formatClock(shownDuration)}
          </span>
          <div className="player-volume">
            <button type="button" className="player-button" onClick={media.toggleMute}>
              <VolumeIcon muted={media.muted || media.volume === 0} />
              <span className="player-visually-hidden">{muteLabel}</span>
            </button>
            <input
              type="range"
              className="player-volume-slider"
              min={0}
              max={1}
              step={0.05}
              value={media.muted ? 0 : media.volume}
              aria-label={t("player.volume")}
              aria-valuetext={formatPercent(language, media.muted ? 0 : media.volume)}
              onChange={(event) => media.changeVolume(Number(event.currentTarget.value))}
            />
          </div>
          <button
            type="button"
            className="player-button"
            aria-pressed={media.subtitlesOn}
            onClick={media.toggleSubtitles}
          >
            <SubtitlesIcon />
            <span className="player-visually-hidden">{t("player.subtitles")}</span>
          </button>
          {audioDescription.available ? (
            <button
              type="button"
              className="player-button"
              aria-pressed={audioDescription.on}
              onClick={() => audioDescription.setDescribed(!audioDescription.on)}
            >
              <AudioDescriptionIcon />
              <span className="player-visually-hidden">{t("player.audioDescription")}</span>
            </button>
          ) : null}
          <select
            className="player-speed"
            value={String(media.playbackRate)}
            aria-label={t("player.speed")}
            onChange={(event) => media.changeSpeed(Number(event.currentTarget.value))}
          >
            {SPEEDS.map((speed) => (
              <option key={speed} value={String(speed)}>
                {`${speedFormat.format(speed)}×`}
              </option>
            ))}
          </select>
          {media.canFullscreen ? (
            <button type="button" className="player-button" onClick={media.toggleFullscreen}>
              <FullscreenIcon exit={media.fullscreen} />
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
