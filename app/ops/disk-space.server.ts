import fs from "node:fs/promises";
import path from "node:path";

/** Below this share free, a volume is reported as low: time to add space before it runs out. */
export const DISK_WARN_FREE_PERCENT = 10;
/** Below this, SQLite's writes and an encode's output start failing: the platform is not usable. */
export const DISK_FAIL_FREE_BYTES = 256 * 1024 ** 2;

export type DiskState = "ok" | "low" | "full";

export type Volume = {
  /** What lives on it: database, media, uploads (several when they share a volume). */
  holds: string[];
  freeBytes: number;
  totalBytes: number;
  freePercent: number;
  state: DiskState;
};

/** The folder itself, or the nearest parent that exists yet (a media folder not made before its first film). */
async function existingFolder(folder: string): Promise<string> {
  let current = path.resolve(folder);
  for (;;) {
    try {
      await fs.stat(current);
      return current;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/**
 * Free space on the volumes the platform writes to, once per volume: free is what an unprivileged
 * process may use (bavail), as the server runs as its own user. `minFreeBytes`: below it a volume
 * is low whatever its share, such as room for one more upload.
 */
export async function diskVolumes(folders: Record<string, string>, minFreeBytes: number): Promise<Volume[]> {
  const volumes = new Map<number, Volume>();
  for (const [name, folder] of Object.entries(folders)) {
    const existing = await existingFolder(folder);
    const device = (await fs.stat(existing)).dev;
    const known = volumes.get(device);
    if (known) {
      known.holds.push(name);
      continue;
    }
    const stats = await fs.statfs(existing);
    const freeBytes = stats.bavail * stats.bsize;
    const totalBytes = stats.blocks * stats.bsize;
    const freePercent = totalBytes > 0 ? Math.round((freeBytes / totalBytes) * 1000) / 10 : 0;
    const state: DiskState =
      freeBytes < DISK_FAIL_FREE_BYTES
        ? "full"
        : freePercent < DISK_WARN_FREE_PERCENT || freeBytes < minFreeBytes
          ? "low"
          : "ok";
    volumes.set(device, { holds: [name], freeBytes, totalBytes, freePercent, state });
  }
  return [...volumes.values()];
}
