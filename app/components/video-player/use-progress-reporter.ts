import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { PlayedRangeTracker, type ProgressReport } from "~/learning/played-ranges";
import type { ProgressStatus } from "~/learning/progress.server";
import { useLatest } from "./use-latest";

const REPORT_INTERVAL_MS = 10_000;

const hundredths = (seconds: number) => Math.round(seconds * 100) / 100;

function observePlayback(tracker: PlayedRangeTracker, video: HTMLVideoElement) {
  tracker.observe(video.currentTime, {
    playing: !video.paused,
    playbackRate: video.playbackRate,
    now: performance.now(),
  });
}

export interface ProgressTarget {
  /** Where to POST the ranges watched since the player mounted. */
  progress?: { endpoint: string; viewId: string };
  /** Called with the server's account of the progress after each report it has saved. */
  onProgressSaved?: (status: ProgressStatus) => void;
}

/**
 * Follows what the video plays and reports the ranges watched to /api/progress: every ten
 * seconds while playing, on pause and at the end (fetched, so the page hears the answer), and
 * as a beacon when the page is hidden or left. Call it before useHlsSource: on unmount its
 * last report must still see the element before hls.js detaches it.
 */
export function useProgressReporter(videoRef: RefObject<HTMLVideoElement>, target: ProgressTarget) {
  const [tracker] = useState(() => new PlayedRangeTracker());
  const lastSentRef = useRef<string | null>(null);
  const inFlightRef = useRef<string | null>(null);
  const latest = useLatest(target);

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
    [tracker, latest],
  );

  // Leaving the page or the route must not lose the last seconds watched.
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
  }, [videoRef, report]);

  // Feed the played-range tracker, and report while playing and whenever playing stops.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let timer: number | undefined;
    const stopTimer = () => {
      window.clearInterval(timer);
      timer = undefined;
    };
    const observe = () => observePlayback(tracker, video);
    const onPlay = () => {
      observe();
      timer ??= window.setInterval(() => report(video, "fetch"), REPORT_INTERVAL_MS);
    };
    const onPause = () => {
      stopTimer();
      report(video, "fetch");
    };
    const onSeeking = () => tracker.seeking();
    const onEnded = () => report(video, "fetch");

    const listeners: [string, () => void][] = [
      ["play", onPlay],
      ["pause", onPause],
      ["timeupdate", observe],
      ["seeking", onSeeking],
      ["ended", onEnded],
    ];
    for (const [type, listener] of listeners) video.addEventListener(type, listener);
    return () => {
      stopTimer();
      for (const [type, listener] of listeners) video.removeEventListener(type, listener);
    };
  }, [videoRef, tracker, report]);
}
