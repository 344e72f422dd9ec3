import { useEffect } from "react";

/**
 * Tells the meeting's playback route the moment the film starts to play (an empty report), so the
 * seconds of the player's next report are counted from then: at double speed they took half the
 * wall time, and someone who came in just before the film began saw all of them. Media events do
 * not bubble, so the page listens for them on the way down.
 */
export function usePlayMarker(endpoint: string, viewId: string) {
  useEffect(() => {
    const onPlay = (event: Event) => {
      if (!(event.target instanceof HTMLVideoElement)) return;
      const body = JSON.stringify({ viewId, ranges: [], positionSeconds: event.target.currentTime, ended: false });
      fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
        keepalive: true,
        credentials: "same-origin",
      })
        // Without the marker the next report's seconds are spread over the time before it, at normal speed.
        .catch(() => undefined);
    };
    document.addEventListener("play", onPlay, true);
    return () => document.removeEventListener("play", onPlay, true);
  }, [endpoint, viewId]);
}
