import { type Dirent, readdirSync } from "node:fs";
import path from "node:path";
import { MediaError } from "../ffmpeg.server";

const FONT_SEARCH_ROOTS = ["/usr/share/fonts", "/usr/local/share/fonts"];

// Synchronous, so the installer in app/cli can ask whether the fonts are there; it reads a few folders.
function findFiles(root: string, names: ReadonlySet<string>, depth = 0): Map<string, string> {
  const found = new Map<string, string>();
  if (depth > 5) return found;
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) {
      for (const [name, file] of findFiles(full, names, depth + 1)) if (!found.has(name)) found.set(name, file);
    } else if (names.has(entry.name) && !found.has(entry.name)) {
      found.set(entry.name, full);
    }
  }
  return found;
}

export interface Fonts {
  regular: string;
  bold: string;
  /** For the timecode, whose box would otherwise change width with every digit. */
  mono: string;
}

let cachedFonts: Fonts | undefined;

/** DejaVu covers æ, ø and å; null when it is not installed. */
export function locateFonts(): Fonts | null {
  const names = new Set(["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"]);
  const found = new Map<string, string>();
  for (const root of FONT_SEARCH_ROOTS) {
    for (const [name, file] of findFiles(root, names)) if (!found.has(name)) found.set(name, file);
  }
  const regular = found.get("DejaVuSans.ttf") ?? found.get("DejaVuSans-Bold.ttf");
  if (!regular) return null;
  return {
    regular,
    bold: found.get("DejaVuSans-Bold.ttf") ?? regular,
    mono: found.get("DejaVuSansMono.ttf") ?? regular,
  };
}

/** The fonts the demo film is drawn with; `prepare` installs them, this only finds them. */
export function ensureFonts(): Fonts {
  if (cachedFonts) return cachedFonts;
  const fonts = locateFonts();
  if (!fonts) {
    throw new MediaError(
      [
        "Skrifttypen DejaVu Sans blev ikke fundet. Installér den med `sudo apt-get install fonts-dejavu-core` (det gør `npm start` selv, når den kører som root).",
        "The DejaVu Sans font was not found. Install it with `sudo apt-get install fonts-dejavu-core` (`npm start` does so itself when run as root).",
      ].join("\n"),
    );
  }
  cachedFonts = fonts;
  return fonts;
}
