import fs from "node:fs";
import { MEDIA_PACKAGES, type SystemPackage, installMissingPackages } from "~/cli/system-packages";

function installOrExplain(needs: readonly SystemPackage[]) {
  const missing = installMissingPackages(needs);
  if (missing.length === 0) return;
  const names = missing.join(" ");
  throw new Error(`Mangler: ${names}. Installér med: sudo apt-get install -y ${names}`);
}

/** Everything `npm test` needs: Chromium for Playwright and what the media pipeline runs on. */
export function ensureTestSystemPackages() {
  installOrExplain([
    { name: "chromium", present: () => fs.existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium") },
    ...MEDIA_PACKAGES,
  ]);
}

/** What Vitest alone needs: the media tests run the pipeline against real ffmpeg. */
export function ensureMediaTestPackages() {
  installOrExplain(MEDIA_PACKAGES);
}
