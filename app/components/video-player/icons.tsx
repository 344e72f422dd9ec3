import type { ReactNode } from "react";

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

export function PlayIcon() {
  return (
    <Icon>
      <path d="M8 5v14l11-7z" fill="currentColor" />
    </Icon>
  );
}

export function PauseIcon() {
  return (
    <Icon>
      <path d="M7 5v14M17 5v14" strokeWidth="4" strokeLinecap="butt" />
    </Icon>
  );
}

export function VolumeIcon({ muted }: { muted: boolean }) {
  return (
    <Icon>
      <path d="M4 9.5v5h3.5L12 18V6L7.5 9.5z" fill="currentColor" />
      {muted ? <path d="M16 9.5l5 5M21 9.5l-5 5" /> : <path d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11" />}
    </Icon>
  );
}

export function SubtitlesIcon() {
  return (
    <Icon>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="M7 12h3M13 12h4M7 15.5h10" />
    </Icon>
  );
}

export function FullscreenIcon({ exit }: { exit: boolean }) {
  return (
    <Icon>
      {exit ? <path d="M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5" /> : <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />}
    </Icon>
  );
}

/** The letters AD, the usual sign for audio description. */
export function AudioDescriptionIcon() {
  return (
    <Icon>
      <path d="M3 18L7 6l4 12M4.5 14h5" />
      <path d="M14 6v12h2.5a6 6 0 0 0 0-12z" />
    </Icon>
  );
}
