import client from "prom-client";
import { mailFailureKinds } from "#db/schema";
import { mailFailureCounts } from "~/email/mail-failures.server";
import { lastNightlyRun, mediaQueueState, outboxEmailCount } from "./queue-state.server";

export type MediaTier = "app" | "nginx" | "edge";

type Metrics = {
  registry: client.Registry;
  requests: client.Counter<"method" | "route" | "status">;
  duration: client.Histogram<"method" | "route">;
  mediaBytes: client.Counter<"tier">;
};

/**
 * The figures read from the database are gathered when Prometheus scrapes, not kept in memory,
 * so they are the same whichever process answers and survive restarts: the queue, the outbox, the
 * failed mails. The request figures are this process's own, as Prometheus expects of a counter.
 */
function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new client.Counter({
    name: "rettidig_http_requests_total",
    help: "HTTP requests answered, by route (the Remix route id, or the server's own path pattern) and status.",
    labelNames: ["method", "route", "status"] as const,
    registers,
  });
  const duration = new client.Histogram({
    name: "rettidig_http_request_duration_seconds",
    help: "Time from a request's arrival until its answer was handed to the connection, by route.",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const mediaBytes = new client.Counter({
    name: "rettidig_media_bytes_total",
    help: "Film bytes sent after a seat check, by who sent them: the app itself, nginx after X-Accel-Redirect, or signed edge links handed out.",
    labelNames: ["tier"] as const,
    registers,
  });
  new client.Gauge({
    name: "rettidig_media_jobs",
    help: "Transcoding jobs waiting or running.",
    labelNames: ["status"] as const,
    registers,
    collect() {
      const queue = mediaQueueState(new Date());
      this.set({ status: "queued" }, queue.queued);
      this.set({ status: "running" }, queue.running);
    },
  });
  new client.Gauge({
    name: "rettidig_media_jobs_failed_last_day",
    help: "Transcoding jobs that failed in the last 24 hours (not counting films replaced by a newer upload).",
    registers,
    collect() {
      this.set(mediaQueueState(new Date()).failedLastDay);
    },
  });
  new client.Gauge({
    name: "rettidig_media_queue_oldest_seconds",
    help: "How long the oldest waiting transcoding job has waited; 0 when none waits.",
    registers,
    collect() {
      this.set(mediaQueueState(new Date()).oldestQueuedSeconds ?? 0);
    },
  });
  new client.Gauge({
    name: "rettidig_media_worker_heartbeat_age_seconds",
    help: "Age of the most silent running job's heartbeat; over 30 s its worker has died. 0 when nothing runs.",
    registers,
    collect() {
      this.set(mediaQueueState(new Date()).heartbeatAgeSeconds ?? 0);
    },
  });
  new client.Gauge({
    name: "rettidig_outbox_emails",
    help: "Mails kept in the outbox because SMTP_URL is not set: in production, mail nobody received.",
    registers,
    collect() {
      this.set(outboxEmailCount());
    },
  });
  new client.Counter({
    name: "rettidig_mail_failures_total",
    help: "Mails the SMTP server did not take (kind=mail), and scheduled reminders and notices given back for the next run because of it (kind=reminder).",
    labelNames: ["kind"] as const,
    registers,
    collect() {
      const counts = mailFailureCounts();
      this.reset();
      for (const kind of mailFailureKinds) this.inc({ kind }, counts[kind]);
    },
  });
  new client.Gauge({
    name: "rettidig_nightly_job_age_seconds",
    help: "Time since the training job's nightly step (the privacy purge) last finished; -1 before its first run.",
    registers,
    collect() {
      this.set(lastNightlyRun(new Date()).finishedSecondsAgo ?? -1);
    },
  });
  return { registry, requests, duration, mediaBytes };
}

// The server (app/server/) and the Remix build each load this module; both must count into one registry.
const globalForMetrics = globalThis as unknown as { rettidigMetrics?: Metrics };

function metrics(): Metrics {
  globalForMetrics.rettidigMetrics ??= createMetrics();
  return globalForMetrics.rettidigMetrics;
}

/** Counts one answered request under its route; `seconds` from arrival to the last byte handed over. */
export function recordRequest(method: string, route: string, status: number, seconds: number) {
  const { requests, duration } = metrics();
  requests.inc({ method, route, status: String(status) });
  duration.observe({ method, route }, seconds);
}

/** Counts film bytes sent by one of the three delivery tiers (the media fast path calls it). */
export function recordMediaBytes(tier: MediaTier, bytes: number) {
  metrics().mediaBytes.inc({ tier }, bytes);
}

/** The Prometheus text exposition of every metric, with its content type. */
export async function metricsText(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
