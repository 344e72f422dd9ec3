import { spawnSync } from "node:child_process";
import fs from "node:fs";

const isRoot = () => process.getuid?.() === 0;

function onPath(command: string) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

let aptUpdated = false;

/** Installs Debian packages the tests need when they are missing and we may; otherwise says how. */
export function ensureDebianPackages(needs: { command: string; pkg: string; present?: () => boolean }[]) {
  const missing = needs.filter((need) => !(need.present?.() ?? onPath(need.command)));
  if (missing.length === 0) return;
  const names = missing.map((need) => need.pkg).join(" ");
  if (!isRoot()) {
    throw new Error(`Mangler: ${names}. Installér med: sudo apt-get install -y ${names}`);
  }
  console.log(`Installerer ${names} med apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) {
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    aptUpdated = true;
  }
  const result = spawnSync("apt-get", ["install", "-y", "-qq", ...missing.map((need) => need.pkg)], {
    stdio: "inherit",
    env,
  });
  if (result.status !== 0) throw new Error(`apt-get kunne ikke installere ${names}`);
}

export function ensureTestSystemPackages() {
  ensureDebianPackages([
    {
      command: "chromium",
      pkg: "chromium",
      present: () => fs.existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"),
    },
    { command: "ffmpeg", pkg: "ffmpeg", present: () => Boolean(process.env.FFMPEG_PATH) || onPath("ffmpeg") },
    { command: "ffprobe", pkg: "ffmpeg", present: () => Boolean(process.env.FFPROBE_PATH) || onPath("ffprobe") },
    {
      command: "fc-list",
      pkg: "fonts-dejavu-core",
      present: () => fs.existsSync("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    },
  ]);
}
