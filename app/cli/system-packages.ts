import fs from "node:fs";
import { spawnSync } from "node:child_process";
import { locateFonts } from "~/media/demo-film/fonts.server";
import { findOnPath } from "~/media/ffmpeg.server";

/** A Debian package and how to tell that what it provides is already there. */
export interface SystemPackage {
  name: string;
  present: () => boolean;
}

/** What the media pipeline and the demo films need. A configured path counts as there: ensureFfmpeg says when it is wrong. */
export const MEDIA_PACKAGES: readonly SystemPackage[] = [
  {
    name: "ffmpeg",
    present: () =>
      (Boolean(process.env.FFMPEG_PATH) || findOnPath("ffmpeg") !== null) &&
      (Boolean(process.env.FFPROBE_PATH) || findOnPath("ffprobe") !== null),
  },
  { name: "fonts-dejavu-core", present: () => locateFonts() !== null },
];

/**
 * The tests put Debian's nginx in front of the platform with the README's configuration, as a
 * municipality's supplier would. The platform itself never needs it.
 */
export const NGINX_PACKAGE: SystemPackage = {
  name: "nginx",
  present: () => fs.existsSync(process.env.NGINX_PATH ?? "/usr/sbin/nginx"),
};

let packageListsUpdated = false;

function stillMissing(needs: readonly SystemPackage[]): string[] {
  return [...new Set(needs.filter((need) => !need.present()).map((need) => need.name))];
}

/**
 * The one place anything is installed: `prepare` and the test setup call it, while the server
 * and the media worker only detect what is missing. Installs the packages that are missing when
 * this process may (as root, with apt-get) and returns those still missing, for the caller to
 * report with the command to run.
 */
export function installMissingPackages(needs: readonly SystemPackage[], log = console.log): string[] {
  const missing = stillMissing(needs);
  if (missing.length === 0 || process.getuid?.() !== 0 || !findOnPath("apt-get")) return missing;
  log(`Installerer ${missing.join(", ")} med apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!packageListsUpdated) {
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    packageListsUpdated = true;
  }
  const result = spawnSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`apt-get kunne ikke installere ${missing.join(" ")}`);
  return stillMissing(needs);
}
