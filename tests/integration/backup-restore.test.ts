import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { inject } from "vitest";
import { databaseBackups } from "#db/schema";
import { makeBackup } from "~/backup/backup.server";
import { restoreDatabase, RestoreRefusal } from "~/backup/restore.server";
import {
  ABANDONED_AFTER_MS,
  type BackupSettings,
  backupSettingsFromEnv,
  backupStatus,
  runScheduledBackup,
} from "~/backup/schedule.server";
import { integrityProblems } from "~/backup/snapshot.server";
import { type BackupTarget, backupTargetFrom, folderTarget } from "~/backup/targets.server";
import { db } from "~/db.server";
import { getEnv, parseEnv } from "~/env.server";
import { createObjectStore } from "~/storage/object-store.server";
import { startS3Server, type TestS3 } from "../fakes/s3-server";
import { raceWorkers } from "../utils/race-workers";
import { type Finished, runInProject, startWriter, tsx } from "../utils/restore-drill";

const runDir = inject("runDir");
const HOUR = 3600 * 1000;
/** A quarter past three: inside the 03:00 slot of the hourly schedule. */
const NOW = new Date("2027-06-15T03:15:00Z");

function freshFolder(name: string) {
  return fs.mkdtempSync(path.join(runDir, `${name}-`));
}

/** The seeded template as a live database of the test's own. */
function liveDatabase(dir: string) {
  const file = path.join(dir, "live", "rettidig.sqlite");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(path.join(runDir, "template.sqlite"), file);
  return file;
}

type Place = { name: string; start(dir: string): Promise<{ env: Record<string, string>; stop(): Promise<void> }> };

const folder: Place = {
  name: "a local folder",
  start: async (dir) => ({ env: { BACKUP_DIR: path.join(dir, "backups") }, stop: async () => {} }),
};
const objectStore: Place = {
  name: "the object store (s3rver)",
  start: async (dir) => {
    const s3: TestS3 = await startS3Server(path.join(dir, "s3"));
    return { env: s3.env, stop: s3.stop };
  },
};

/** For each test: a fresh folder, the place started in it, and a live database of the test's own. */
function usePlace(place: Place) {
  const at = {} as { dir: string; env: Record<string, string>; live: string; target: BackupTarget };
  let stopPlace = async () => {};
  beforeEach(async () => {
    at.dir = freshFolder("backup");
    const started = await place.start(at.dir);
    stopPlace = started.stop;
    at.live = liveDatabase(at.dir);
    at.env = { ...started.env, DATABASE_PATH: at.live };
    at.target = backupTargetFrom(parseEnv(at.env));
  });
  afterEach(() => stopPlace());
  return at;
}

// The drill with a local folder as target runs in the browser tests (tests/e2e/restore-drill.spec.ts),
// which start the built platform on the restored file; Vitest runs before any build, so here the
// object store's drill opens it with the reader process instead.
describe("the restore drill through the object store (s3rver)", () => {
  const at = usePlace(objectStore);

  it(
    "a backup taken during writes, restored into a fresh folder, has every write acknowledged before it began",
    { timeout: 120_000 },
    async () => {
      const writer = startWriter("tests/integration/backup-drill-writer.ts", { DATABASE_PATH: at.live });
      let made;
      let acknowledgedBefore: number[];
      try {
        await writer.waitFor(200);
        acknowledgedBefore = [...writer.acknowledged];
        made = await makeBackup({ databaseFile: at.live, target: at.target, keep: 48, now: new Date() });
        // The writer went on while the copy was made and stored: the platform was never paused.
        await writer.waitFor(acknowledgedBefore.length + 50);
      } finally {
        expect(await writer.stop()).toBe(0);
      }
      expect(made.target).toBe(at.target.describe);
      expect((await at.target.list()).map((backup) => backup.name)).toEqual([made.name]);

      const stored = path.join(at.dir, "stored-copy.sqlite");
      await at.target.fetch(made.name, stored);
      expect(await integrityProblems(stored)).toEqual([]);

      const fresh = path.join(freshFolder("restored"), "rettidig.sqlite");
      const restore = await runInProject(["npm", "run", "-s", "db:restore", "--", "latest", "--to", fresh], at.env);
      expect(restore.status, restore.stderr).toBe(0);
      expect(restore.stdout).toContain(`Gendannet ${made.name}`);
      expect(restore.stdout).toContain("integritetstjek: ok");

      const again = await runInProject(["npm", "run", "-s", "db:restore", "--", made.name, "--to", fresh], at.env);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain("Der findes allerede en database");
      expect(again.stderr).toContain("--force");

      const opened = await runInProject([tsx, "tests/integration/backup-drill-reader.ts"], { DATABASE_PATH: fresh });
      expect(opened.status, opened.stderr).toBe(0);
      const found = JSON.parse(opened.stdout) as { integrity: string; signIn: string; ids: number[] };
      expect(found.integrity).toBe("ok");
      expect(found.signIn).toBe("signedIn");
      const restoredIds = new Set(found.ids);
      expect(acknowledgedBefore.filter((id) => !restoredIds.has(id))).toEqual([]);
      expect(found.ids.length).toBeGreaterThanOrEqual(acknowledgedBefore.length);
    },
  );
});

describe.each([folder, objectStore])("backups to $name", (place) => {
  const at = usePlace(place);

  it("keeps exactly BACKUP_KEEP of Rettidig's backups, the newest, and nothing else of the target's", async () => {
    const keep = 3;
    const foreign = path.join(at.dir, "notes.txt");
    fs.writeFileSync(foreign, "not a backup");
    const store = createObjectStore(parseEnv(at.env));
    if (store) await store.putFile("backups/notes.txt", foreign);
    else {
      fs.mkdirSync(at.env.BACKUP_DIR!, { recursive: true });
      fs.copyFileSync(foreign, path.join(at.env.BACKUP_DIR!, "notes.txt"));
    }

    const names: string[] = [];
    for (let hour = 0; hour < 5; hour++) {
      const made = await makeBackup({
        databaseFile: at.live,
        target: at.target,
        keep,
        now: new Date(NOW.getTime() + hour * HOUR),
      });
      names.push(made.name);
    }
    const kept = await at.target.list();
    expect(kept.map((backup) => backup.name)).toEqual(names.slice(-keep));
    if (store) expect((await store.list("backups/")).map((object) => object.key)).toContain("backups/notes.txt");
    else expect(fs.existsSync(path.join(at.env.BACKUP_DIR!, "notes.txt"))).toBe(true);
  });

  it("refuses to restore a damaged backup and leaves the database as it was", async () => {
    const garbage = path.join(at.dir, "rettidig-2027-06-15T03.00.00.000Z.sqlite");
    fs.writeFileSync(garbage, Buffer.alloc(64 * 1024, 7));
    const database = path.join(freshFolder("damaged"), "rettidig.sqlite");
    const refusal = restoreDatabase({
      source: garbage,
      target: at.target,
      database,
      force: true,
      evenIfOpen: false,
      now: NOW,
    });
    await expect(refusal).rejects.toThrow(RestoreRefusal);
    await expect(refusal).rejects.toThrow(/bestod ikke integritetstjekket/);
    expect(fs.readdirSync(path.dirname(database))).toEqual([]);
  });
});

/** A mark in a database's own rows, to tell the database that was replaced from the copy put in its place. */
function mark(connection: Database.Database, value: string) {
  connection.prepare("insert into platform_settings (key, value) values ('restore-test', ?)").run(value);
}
function markIn(file: string): string | undefined {
  const connection = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return connection.prepare("select value from platform_settings where key = 'restore-test'").pluck().get() as
      string | undefined;
  } finally {
    connection.close();
  }
}

describe("restoring over a database", () => {
  let dir: string;
  let live: string;
  let copy: string;

  beforeEach(() => {
    dir = freshFolder("over");
    live = liveDatabase(dir);
    const connection = new Database(live);
    mark(connection, "the database before the restore");
    connection.close();
    copy = path.join(dir, "copy.sqlite");
    fs.copyFileSync(path.join(runDir, "template.sqlite"), copy);
  });

  const before = (file: string) => `${file}.before-restore-2027-06-15T03.15.00.000Z`;

  it("refuses while another process has the database open, and replaces it once that has stopped, keeping the old one", async () => {
    const env = { DATABASE_PATH: live, BACKUP_DIR: path.join(dir, "backups") };
    const writer = startWriter("tests/integration/backup-drill-writer.ts", { DATABASE_PATH: live });
    let refused: Finished;
    try {
      await writer.waitFor(20);
      refused = await runInProject([tsx, "app/cli/restore.ts", copy, "--force"], env);
    } finally {
      expect(await writer.stop()).toBe(0);
    }
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("er åben i en anden proces");
    expect(refused.stderr).toContain("systemctl stop rettidig");
    expect(refused.stderr).toContain("--even-if-open");
    expect(markIn(live)).toBe("the database before the restore");
    expect(fs.readdirSync(path.dirname(live)).filter((file) => file.includes("before-restore"))).toEqual([]);

    const restored = await runInProject([tsx, "app/cli/restore.ts", copy, "--force"], env);
    expect(restored.status, restored.stderr).toBe(0);
    const kept = fs.readdirSync(path.dirname(live)).filter((file) => file.includes(".before-restore-"));
    expect(kept).toHaveLength(1);
    expect(restored.stdout).toContain(
      `Den database, der blev erstattet, ligger nu som ${path.join(path.dirname(live), kept[0]!)}`,
    );
    expect(markIn(live)).toBeUndefined();
    expect(markIn(path.join(path.dirname(live), kept[0]!))).toBe("the database before the restore");
  });

  it("keeps what a platform that died left in its -wal: the kept database has it", async () => {
    // A connection that never checkpoints, and its files copied while it is open: what a killed process leaves.
    const crashed = path.join(freshFolder("crashed"), "rettidig.sqlite");
    const connection = new Database(live);
    connection.pragma("journal_mode = WAL");
    connection.pragma("wal_autocheckpoint = 0");
    connection
      .prepare("update platform_settings set value = 'written just before the crash' where key = 'restore-test'")
      .run();
    for (const suffix of ["", "-wal"]) fs.copyFileSync(`${live}${suffix}`, `${crashed}${suffix}`);
    connection.close();
    expect(fs.statSync(`${crashed}-wal`).size).toBeGreaterThan(0);

    const restored = await restoreDatabase({
      source: copy,
      target: folderTarget(path.join(dir, "backups")),
      database: crashed,
      force: true,
      evenIfOpen: false,
      now: NOW,
    });
    expect(restored.keptFiles).toEqual([before(crashed)]);
    expect(markIn(before(crashed))).toBe("written just before the crash");
    expect(markIn(crashed)).toBeUndefined();
  });

  it("replaces a database that is open only when told --even-if-open, keeping it and its -wal", async () => {
    const holder = new Database(live);
    holder.pragma("journal_mode = WAL");
    holder.pragma("wal_autocheckpoint = 0");
    holder
      .prepare("update platform_settings set value = 'written by the open connection' where key = 'restore-test'")
      .run();
    const restore = (evenIfOpen: boolean) =>
      restoreDatabase({
        source: copy,
        target: folderTarget(path.join(dir, "backups")),
        database: live,
        force: true,
        evenIfOpen,
        now: NOW,
      });
    try {
      await expect(restore(false)).rejects.toThrow(RestoreRefusal);
      await expect(restore(false)).rejects.toThrow(/er åben i en anden proces/);
      expect(fs.readdirSync(path.dirname(live)).filter((file) => file.includes("before-restore"))).toEqual([]);
      const restored = await restore(true);
      expect(restored.keptFiles).toEqual([before(live), `${before(live)}-wal`]);
    } finally {
      holder.close();
    }
    expect(markIn(live)).toBeUndefined();
    expect(markIn(before(live))).toBe("written by the open connection");
  });
});

describe("the integrity check", () => {
  it("runs off the calling thread: the server's thread goes on, and can even let go of a lock the check waits for", async () => {
    const file = path.join(freshFolder("integrity"), "rettidig.sqlite");
    fs.copyFileSync(path.join(runDir, "template.sqlite"), file);
    // A connection on this thread holding the file exclusively: a check on this thread would wait for it in vain.
    const holder = new Database(file, { timeout: 0 });
    holder.pragma("locking_mode = exclusive");
    holder.prepare("select count(*) from sqlite_master").get();
    const checking = integrityProblems(file);
    holder.close();
    expect(await checking).toEqual([]);
  });
});

describe("the backup target", () => {
  it("is made once per process for the same settings, so /healthz does not build an S3 client on every call", () => {
    const s3 = {
      S3_ENDPOINT: "http://127.0.0.1:9",
      S3_REGION: "eu-central",
      S3_BUCKET: "rettidig",
      S3_ACCESS_KEY_ID: "key",
      S3_SECRET_ACCESS_KEY: "secret",
    };
    const settings = { DATABASE_PATH: getEnv().DATABASE_PATH, ...s3 };
    const first = backupTargetFrom(parseEnv(settings));
    expect(first.describe).toBe("s3://rettidig/backups/");
    expect(backupTargetFrom(parseEnv({ ...settings }))).toBe(first);
    expect(backupTargetFrom(parseEnv({ ...settings, S3_BUCKET: "another" }))).not.toBe(first);

    // What /healthz reads on each call, with the object store set in the environment.
    Object.assign(getEnv(), s3);
    try {
      expect(backupSettingsFromEnv().target).toBe(first);
      expect(backupSettingsFromEnv().target).toBe(first);
    } finally {
      Object.assign(getEnv(), Object.fromEntries(Object.keys(s3).map((name) => [name, undefined])));
    }
  });
});

describe("the hourly backup", () => {
  let backupDir: string;
  let settings: BackupSettings;

  beforeEach(() => {
    backupDir = path.join(freshFolder("scheduled"), "backups");
    settings = {
      databaseFile: getEnv().DATABASE_PATH,
      target: folderTarget(backupDir),
      keep: 48,
      intervalMinutes: 60,
    };
  });

  it("makes one backup per slot, read from the database, so a restart or a second round does not repeat it", async () => {
    expect((await runScheduledBackup(NOW, settings)).status).toBe("backedUp");
    expect(await runScheduledBackup(new Date(NOW.getTime() + 10 * 60_000), settings)).toEqual({
      status: "alreadyClaimed",
    });
    expect((await runScheduledBackup(new Date(NOW.getTime() + HOUR), settings)).status).toBe("backedUp");
    expect(await settings.target.list()).toHaveLength(2);
    const status = backupStatus(new Date(NOW.getTime() + HOUR), settings);
    expect(status.lastBackupAt).toEqual(new Date(NOW.getTime() + HOUR));
    expect(status.failuresSinceLastBackup).toBe(0);
    expect(status.overdue).toBe(false);
    expect(status.target).toBe(path.resolve(backupDir));
  });

  it("records a failure for the status and tries the slot again on the next round", async () => {
    // A BACKUP_DIR that is a file: nothing can be stored there.
    fs.mkdirSync(path.dirname(backupDir), { recursive: true });
    fs.writeFileSync(backupDir, "");
    const failing = await runScheduledBackup(NOW, settings);
    expect(failing.status).toBe("failed");
    const status = backupStatus(NOW, settings);
    expect(status.failuresSinceLastBackup).toBe(1);
    expect(status.lastError).toMatch(/EEXIST|ENOTDIR/);
    expect(status.overdue).toBe(true);

    const working = { ...settings, target: folderTarget(`${backupDir}-fixed`) };
    const later = new Date(NOW.getTime() + 5 * 60_000);
    expect((await runScheduledBackup(later, working)).status).toBe("backedUp");
    const row = db.select().from(databaseBackups).where(eq(databaseBackups.slot, "2027-06-15T03:00:00.000Z")).get();
    expect(row?.attempts).toBe(2);
    expect(backupStatus(later, working)).toMatchObject({ failuresSinceLastBackup: 0, lastError: null });
    expect(backupStatus(new Date(later.getTime() + 3 * HOUR), working).overdue).toBe(true);
  });

  it("takes over, in the same hour, a slot whose backup died mid-way, once its claim is ABANDONED_AFTER_MS old", async () => {
    // The row a process leaves when it is killed while copying: claimed, neither finished nor failed.
    const killedAt = new Date("2027-06-15T03:05:00Z");
    db.insert(databaseBackups).values({ slot: "2027-06-15T03:00:00.000Z", startedAt: killedAt }).run();
    const after = (ms: number) => new Date(killedAt.getTime() + ms);
    // Until then it may still be copying or uploading.
    expect(await runScheduledBackup(after(ABANDONED_AFTER_MS - 60_000), settings)).toEqual({
      status: "alreadyClaimed",
    });

    const retakenAt = after(ABANDONED_AFTER_MS + 60_000);
    expect(retakenAt.getUTCHours()).toBe(3);
    process.env.BACKUP_DIR = backupDir;
    try {
      // Several processes find the abandoned claim at once: one takes it over.
      const outcomes = await raceWorkers<string>("integration/backup-race-worker.ts", retakenAt);
      expect(outcomes.filter((status) => status === "backedUp")).toHaveLength(1);
      expect(outcomes.filter((status) => status === "alreadyClaimed")).toHaveLength(3);
    } finally {
      delete process.env.BACKUP_DIR;
    }
    expect(await folderTarget(backupDir).list()).toHaveLength(1);
    const row = db.select().from(databaseBackups).where(eq(databaseBackups.slot, "2027-06-15T03:00:00.000Z")).get();
    expect(row).toMatchObject({ attempts: 2, startedAt: retakenAt, finishedAt: retakenAt });
  });

  it("two processes racing for one slot make exactly one backup", async () => {
    process.env.BACKUP_DIR = backupDir;
    try {
      const outcomes = await raceWorkers<string>("integration/backup-race-worker.ts", NOW);
      expect(outcomes.filter((status) => status === "backedUp")).toHaveLength(1);
      expect(outcomes.filter((status) => status === "alreadyClaimed")).toHaveLength(3);
    } finally {
      delete process.env.BACKUP_DIR;
    }
    expect(await folderTarget(backupDir).list()).toHaveLength(1);
  });
});
