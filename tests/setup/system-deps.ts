import fs from "node:fs";
import { MEDIA_PACKAGES, NGINX_PACKAGE, type SystemPackage, installMissingPackages } from "~/cli/system-packages";

function installOrExplain(needs: readonly SystemPackage[]) {
  const missing = installMissingPackages(needs);
  if (missing.length === 0) return;
  const names = missing.join(" ");
  throw new Error(`Mangler: ${names}. Installér med: sudo apt-get install -y ${names}`);
}

/** Everything `npm test` needs: Chromium for Playwright, what the media pipeline runs on, and nginx. */
export function ensureTestSystemPackages() {
  installOrExplain([
    { name: "chromium", present: () => fs.existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium") },
    ...MEDIA_PACKAGES,
    NGINX_PACKAGE,
  ]);
}

/** What Vitest alone needs: the media tests run the pipeline against real ffmpeg and serve through nginx. */
export function ensureMediaTestPackages() {
  installOrExplain([...MEDIA_PACKAGES, NGINX_PACKAGE]);
}
