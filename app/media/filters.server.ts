/**
 * A value placed in a filter option inside a filter graph passes through two parsers, each
 * removing one level of backslash escaping; this escapes for both, so paths with quotes,
 * colons or brackets survive.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':=]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

/** Largest even size with the source's display shape that fits inside the box. */
export function fitInside(sourceWidth: number, sourceHeight: number, boxWidth: number, boxHeight: number) {
  const scale = Math.min(boxWidth / sourceWidth, boxHeight / sourceHeight);
  return {
    width: Math.min(even(sourceWidth * scale), boxWidth),
    height: Math.min(even(sourceHeight * scale), boxHeight),
    scale,
  };
}

interface FrameRate {
  /** As ffmpeg's fps filter takes it. */
  expression: string;
  value: number;
}

const KNOWN_RATES: readonly FrameRate[] = [
  { expression: "24000/1001", value: 24000 / 1001 },
  { expression: "24", value: 24 },
  { expression: "25", value: 25 },
  { expression: "30000/1001", value: 30000 / 1001 },
  { expression: "30", value: 30 },
];

/**
 * A constant rate of at most 30 fps: keyframes every 6 s need a fixed frame count per GOP,
 * and 50/60 fps doubles the bitrate need for films of people talking.
 */
export function outputFrameRate(source: number | null): FrameRate {
  let rate = source && source >= 10 && source <= 240 ? source : 25;
  while (rate > 30.5) rate /= 2;
  const known = KNOWN_RATES.find((candidate) => Math.abs(candidate.value - rate) < 0.01);
  if (known) return known;
  const rounded = Math.round(rate * 1000) / 1000;
  return { expression: String(rounded), value: rounded };
}
