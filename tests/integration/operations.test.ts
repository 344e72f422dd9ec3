import { sql } from "drizzle-orm";
import { databaseBackups, mailFailures, mediaJobs, modules } from "#db/schema";
import { db, sqlite } from "~/db.server";
import { MAIL_FAILURES_KEPT_DAYS, recordMailFailure } from "~/email/mail-failures.server";
import { sendEmail } from "~/email/mailer.server";
import { sendOnce } from "~/email/send-once.server";
import { getEnv } from "~/env.server";
import { STALE_AFTER_MS } from "~/media/jobs.server";
import { recordMediaBytes } from "~/ops/metrics.server";
import { runPrivacyPurge } from "~/privacy/purge.server";
import * as health from "~/routes/healthz";
import * as metrics from "~/routes/metrics";
import { demoEmails } from "~/cli/seed/accounts";
import { jsonOf, request, routeArgs, sessionCookieFor, settle } from "../utils/requests";

/** /healthz and /metrics as a load balancer, Prometheus and the owner ask them, against the seeded database. */
const TOKEN = "metrics-token-for-the-operations-test-0123456789";

beforeAll(() => {
  Object.assign(getEnv(), { METRICS_TOKEN: TOKEN });
});

const bearer = { Authorization: `Bearer ${TOKEN}` };

async function scrape(headers: Record<string, string> = bearer) {
  return settle(() => metrics.loader(routeArgs(request("/metrics", { headers }))));
}

/** The value of one sample line, e.g. `rettidig_media_jobs{status="queued"}`. */
async function sample(name: string): Promise<number> {
  const response = await scrape();
  expect(response.status).toBe(200);
  const line = (await response.text()).split("\n").find((row) => row.startsWith(`${name} `));
  if (!line) throw new Error(`No sample ${name}`);
  return Number(line.slice(name.length + 1));
}

type Health = { status: string; checks: Record<string, unknown> };

async function healthOf(headers: Record<string, string> = {}, status = 200) {
  const response = await settle(() => health.loader(routeArgs(request("/healthz", { headers }))));
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return jsonOf<Health>(response, status);
}

function queueJob(status: "queued" | "running", heartbeatAt: Date | null = null, createdAt = new Date()) {
  const moduleId = db.select({ id: modules.id }).from(modules).limit(1).get()!.id;
  db.insert(mediaJobs)
    .values({
      moduleId,
      kind: "film",
      sourceFile: "abc/film",
      originalName: "film.mp4",
      status,
      heartbeatAt,
      createdAt,
    })
    .run();
}

describe("/healthz", () => {
  it("tells anyone only whether each part is usable", async () => {
    const body = await healthOf();
    expect(body.status).toMatch(/^(ok|degraded)$/);
    expect(body.checks.database).toBe("ok");
    expect(body.checks.disk).toMatch(/^(ok|warn)$/);
    expect(body.checks.worker).toBe("ok");
    expect(JSON.stringify(body)).not.toMatch(/Bytes|queued|@/);
  });

  it("gives the operator token and the owner the figures, and a wrong token only what anyone gets", async () => {
    queueJob("queued", null, new Date(Date.now() - 60_000));
    const detailed = await healthOf(bearer);
    const worker = detailed.checks.worker as { state: string; detail: { mediaQueue: Record<string, number> } };
    expect(worker.detail.mediaQueue.queued).toBe(1);
    expect(worker.detail.mediaQueue.oldestQueuedSeconds).toBeGreaterThanOrEqual(60);
    const disk = detailed.checks.disk as { detail: { volumes: { holds: string[]; freeBytes: number }[] } };
    expect(disk.detail.volumes.flatMap((v) => v.holds).sort()).toEqual(["database", "media", "uploads"]);
    expect(disk.detail.volumes[0]!.freeBytes).toBeGreaterThan(0);

    const owner = await healthOf({ Cookie: await sessionCookieFor(demoEmails.owner) });
    expect(typeof owner.checks.database).toBe("object");
    const wrong = await healthOf({ Authorization: "Bearer not-the-token-but-long-enough-to-look-like-one" });
    expect(wrong.checks.database).toBe("ok");
    const admin = await healthOf({ Cookie: await sessionCookieFor(demoEmails.admin) });
    expect(admin.checks.worker).toBe("ok");
  });

  it("is degraded, still 200, when a running job's worker has gone silent", async () => {
    queueJob("running", new Date(Date.now() - STALE_AFTER_MS - 5_000));
    const body = await healthOf();
    expect(body.status).toBe("degraded");
    expect(body.checks.worker).toBe("warn");
  });

  it("warns of a failed or late backup, but not of none yet just after a start", async () => {
    const fresh = await healthOf();
    expect(fresh.checks.backup).toBe("ok");

    const hour = 3_600_000;
    db.insert(databaseBackups)
      .values({
        slot: "2026-01-01T10:00",
        startedAt: new Date(Date.now() - 3 * hour),
        finishedAt: new Date(Date.now() - 3 * hour),
        name: "rettidig-old.sqlite",
        sizeBytes: 4096,
        target: "folder",
      })
      .run();
    const late = await healthOf(bearer);
    expect(late.status).toBe("degraded");
    const check = late.checks.backup as { state: string; detail: { overdue: boolean; lastBackupBytes: number } };
    expect(check.state).toBe("warn");
    expect(check.detail).toMatchObject({ overdue: true, lastBackupBytes: 4096 });

    db.insert(databaseBackups)
      .values({
        slot: "2026-01-01T13:00",
        startedAt: new Date(),
        finishedAt: new Date(),
        name: "rettidig-new.sqlite",
        sizeBytes: 8192,
        target: "folder",
      })
      .run();
    expect((await healthOf()).checks.backup).toBe("ok");

    db.insert(databaseBackups)
      .values({
        slot: "2026-01-01T14:00",
        startedAt: new Date(),
        failedAt: new Date(Date.now() + 1_000),
        error: "disk full",
      })
      .run();
    const failed = await healthOf(bearer);
    const failure = failed.checks.backup as { state: string; detail: { failuresSinceLastBackup: number } };
    expect(failure.state).toBe("warn");
    expect(failure.detail.failuresSinceLastBackup).toBe(1);
    db.delete(databaseBackups).run();
  });

  it("is 503 when the database's migrations are not the code's", async () => {
    const newest = sqlite()
      .prepare("select hash, created_at from __drizzle_migrations order by created_at desc limit 1")
      .get() as { hash: string; created_at: number };
    sqlite().prepare("delete from __drizzle_migrations where created_at = ?").run(newest.created_at);
    try {
      const body = await healthOf({}, 503);
      expect(body.status).toBe("unavailable");
      expect(body.checks.database).toBe("fail");
    } finally {
      sqlite()
        .prepare("insert into __drizzle_migrations (hash, created_at) values (?, ?)")
        .run(newest.hash, newest.created_at);
    }
  });
});

describe("/metrics", () => {
  it("asks for credentials without any, and refuses a wrong token and anyone but the owner, in Danish", async () => {
    const none = await scrape({});
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect(await none.text()).toContain("kræver driftens token");
    const wrong = await scrape({ Authorization: "Bearer metrics-token-for-the-operations-test-012345678X" });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain("ikke adgang");
    const admin = await scrape({ Cookie: await sessionCookieFor(demoEmails.admin) });
    expect(admin.status).toBe(403);
    const owner = await scrape({ Cookie: await sessionCookieFor(demoEmails.owner) });
    expect(owner.status).toBe(200);
    expect(owner.headers.get("Content-Type")).toContain("text/plain");
    expect(await owner.text()).toContain("process_cpu_seconds_total");
  });

  it("follows the queue in the database at each scrape", async () => {
    expect(await sample('rettidig_media_jobs{status="queued"}')).toBe(0);
    queueJob("queued");
    queueJob("queued");
    expect(await sample('rettidig_media_jobs{status="queued"}')).toBe(2);
    db.update(mediaJobs)
      .set({ status: "running", heartbeatAt: new Date() })
      .where(sql`id = (select min(id) from media_jobs)`)
      .run();
    expect(await sample('rettidig_media_jobs{status="queued"}')).toBe(1);
    expect(await sample('rettidig_media_jobs{status="running"}')).toBe(1);
  });

  it("counts failed mail and reminders given back, and media bytes by tier", async () => {
    const failures = async (kind: string) => sample(`rettidig_mail_failures_total{kind="${kind}"}`);
    const [mail, reminder] = [await failures("mail"), await failures("reminder")];
    // An SMTP server that is not there: nothing listens on port 1.
    Object.assign(getEnv(), { SMTP_URL: "smtp://127.0.0.1:1" });
    try {
      let released = false;
      const sent = await sendOnce({
        claim: () => true,
        release: () => (released = true),
        send: () => sendEmail({ to: "a@example.dk", subject: "Påmindelse", text: "Hej" }),
      });
      expect(sent).toBe(false);
      expect(released).toBe(true);
    } finally {
      Object.assign(getEnv(), { SMTP_URL: undefined });
    }
    expect(await failures("mail")).toBe(mail + 1);
    expect(await failures("reminder")).toBe(reminder + 1);

    const before = await sample('rettidig_media_bytes_total{tier="nginx"}').catch(() => 0);
    recordMediaBytes("nginx", 2048);
    expect(await sample('rettidig_media_bytes_total{tier="nginx"}')).toBe(before + 2048);
  });

  it("prunes failed-mail rows past their month in the nightly purge, and the counter never goes down", async () => {
    const failures = async (kind: string) => sample(`rettidig_mail_failures_total{kind="${kind}"}`);
    // Past 02:00 Danish time, so the night's purge is due.
    const night = new Date("2027-06-15T03:00:00Z");
    const daysBefore = (days: number) => new Date(night.getTime() - days * 24 * 3600 * 1000);
    const [mail, reminder] = [await failures("mail"), await failures("reminder")];
    recordMailFailure("mail", daysBefore(MAIL_FAILURES_KEPT_DAYS + 5));
    recordMailFailure("mail", daysBefore(MAIL_FAILURES_KEPT_DAYS + 1));
    recordMailFailure("reminder", daysBefore(MAIL_FAILURES_KEPT_DAYS + 1));
    recordMailFailure("mail", daysBefore(MAIL_FAILURES_KEPT_DAYS - 1));
    expect(await failures("mail")).toBe(mail + 3);

    const purged = runPrivacyPurge(night);
    expect(purged.status).toBe("purged");
    expect(purged.status === "purged" && purged.counts.mailFailures).toBe(3);
    expect(db.select({ failedAt: mailFailures.failedAt }).from(mailFailures).all()).toEqual([
      { failedAt: daysBefore(MAIL_FAILURES_KEPT_DAYS - 1) },
    ]);
    expect(await failures("mail")).toBe(mail + 3);
    expect(await failures("reminder")).toBe(reminder + 1);

    // The next night prunes the last one too, adding to what was counted before.
    recordMailFailure("mail", daysBefore(0));
    const nextNight = new Date(night.getTime() + 2 * 24 * 3600 * 1000);
    expect(runPrivacyPurge(nextNight).status).toBe("purged");
    expect(db.select().from(mailFailures).all()).toHaveLength(1);
    expect(await failures("mail")).toBe(mail + 4);
    expect(await failures("reminder")).toBe(reminder + 1);
  });
});
