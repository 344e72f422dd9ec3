import { DEMO_PASSWORD } from "~/cli/seed/accounts";
import { personas, type Persona } from "../integration/route-roles/checks";
import { findInternals, isTextual } from "./findings";
import type { Entries } from "./inputs";
import { matchRoute, type Route } from "./routes";

export type Body =
  | { kind: "urlencoded"; entries: Entries }
  | { kind: "multipart"; entries: Entries }
  | { kind: "raw"; contentType: string; data: string };

/** One request of the run. Non-GET requests carry this site's Origin unless `origin` says otherwise. */
export type Probe = {
  role: Persona;
  method: string;
  /** Path and query, as sent. */
  path: string;
  body?: Body;
  headers?: Record<string, string>;
  origin?: "same" | "foreign" | "none";
  /** What was spoiled, for the report. */
  what: string;
};

export type Answer = { status: number; ms: number; contentType: string; text: string | null; location: string | null };

export type Finding = {
  role: Persona;
  method: string;
  path: string;
  route: string;
  what: string;
  status: number;
  ms: number;
  detail: string;
};

export const SLOW_MS = 5_000;
// A request still unanswered after this is reported as slow and given up on, so one hang cannot stall the run.
const GIVE_UP_MS = 20_000;
export const FOREIGN_ORIGIN = "https://angriber.example";

const short = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

function encode(body: Body): { data: string | FormData; contentType?: string } {
  if (body.kind === "raw") return { data: body.data, contentType: body.contentType };
  if (body.kind === "urlencoded") {
    const params = new URLSearchParams(
      body.entries.map(([key, value]) => [key, typeof value === "string" ? value : value.name]),
    );
    return { data: params.toString(), contentType: "application/x-www-form-urlencoded;charset=UTF-8" };
  }
  const form = new FormData();
  for (const [key, value] of body.entries) {
    if (typeof value === "string") form.append(key, value);
    else form.append(key, new Blob([value.content], { type: value.type }), value.name);
  }
  // fetch writes the multipart boundary itself.
  return { data: form };
}

/**
 * Sends the run's requests as each kind of person, against the test's own server, and keeps the
 * tally: every request is timed to its last byte, and its status and body are checked.
 */
export class BadInputClient {
  readonly findings = {
    serverErrors: [] as Finding[],
    slow: [] as Finding[],
    dropped: [] as Finding[],
    internals: [] as Finding[],
    crossSiteAccepted: [] as Finding[],
  };
  readonly requestsByRoute = new Map<string, number>();
  /** Time spent waiting on each route's answers, to see where a run's minutes go. */
  readonly msByRoute = new Map<string, number>();
  /** Routes that answered something other than 404/405 to someone: reached, not just addressed. */
  readonly reached = new Set<string>();
  requests = 0;
  withoutOrigin = { sent: 0, refused: 0 };
  skipped = 0;
  /** Off for the last requests, which sign out on purpose. */
  renewSessions = true;
  private cookies = new Map<Persona, string>();
  private signedOut = new Set<Persona>();
  private readonly started = Date.now();

  constructor(
    readonly baseURL: string,
    private readonly routes: Route[],
    private readonly budgetMs: number,
  ) {}

  get outOfTime() {
    return Date.now() - this.started > this.budgetMs;
  }

  get elapsedSeconds() {
    return Math.round((Date.now() - this.started) / 1000);
  }

  /** Signs the persona in through the sign-in form, as a person would; throws when that fails. */
  async signIn(role: Persona) {
    const email = personas[role];
    if (!email) return;
    const response = await fetch(new URL("/log-ind", this.baseURL), {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(this.baseURL).origin },
      body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "" }).toString(),
    });
    await response.arrayBuffer();
    const cookie = response.headers
      .getSetCookie()
      .map((header) => header.split(";")[0]!)
      .filter((pair) => !pair.endsWith("="))
      .join("; ");
    if (response.status >= 400 || !cookie) throw new Error(`${role} (${email}) could not sign in: ${response.status}`);
    this.cookies.set(role, cookie);
    this.signedOut.delete(role);
  }

  /**
   * Sends the probes a few at a time, each as soon as one before it is answered, in the order
   * given; a persona whose session has ended is signed in again before its next request.
   */
  async all(probes: Probe[], concurrency = 4): Promise<Array<Answer | null>> {
    const answers: Array<Answer | null> = probes.map(() => null);
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        if (this.outOfTime) {
          this.skipped += probes.length - next;
          next = probes.length;
          return;
        }
        const i = next++;
        const probe = probes[i]!;
        if (this.renewSessions && this.signedOut.has(probe.role)) await this.renewSession(probe.role);
        answers[i] = await this.send(probe);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, probes.length) }, worker));
    return answers;
  }

  private renewing = new Map<Persona, Promise<void>>();

  /** One sign-in however many requests find the session ended at once. */
  private async renewSession(role: Persona) {
    const pending = this.renewing.get(role) ?? this.signIn(role).finally(() => this.renewing.delete(role));
    this.renewing.set(role, pending);
    await pending;
  }

  async one(probe: Probe) {
    return (await this.all([probe]))[0] ?? null;
  }

  private async send(probe: Probe): Promise<Answer> {
    const headers: Record<string, string> = { ...probe.headers };
    const cookie = this.cookies.get(probe.role);
    if (cookie) headers.Cookie = cookie;
    const origin = probe.origin ?? "same";
    if (probe.method !== "GET" && probe.method !== "HEAD" && origin !== "none")
      headers.Origin = origin === "same" ? new URL(this.baseURL).origin : FOREIGN_ORIGIN;
    let body: string | FormData | undefined;
    if (probe.body) {
      const encoded = encode(probe.body);
      body = encoded.data;
      if (encoded.contentType) headers["Content-Type"] = encoded.contentType;
    }
    const route = this.routeOf(probe.path);
    this.requests += 1;
    this.requestsByRoute.set(route, (this.requestsByRoute.get(route) ?? 0) + 1);

    const start = performance.now();
    let answer: Answer;
    try {
      const response = await fetch(new URL(probe.path, this.baseURL), {
        method: probe.method,
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(GIVE_UP_MS),
      });
      const contentType = response.headers.get("Content-Type") ?? "";
      const bytes = new Uint8Array(await response.arrayBuffer());
      answer = {
        status: response.status,
        ms: performance.now() - start,
        contentType,
        text: isTextual(contentType) ? new TextDecoder().decode(bytes) : null,
        location: response.headers.get("Location"),
      };
    } catch (error) {
      // No answer: given up on after GIVE_UP_MS (counted as slow), or the connection closed before one came.
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      answer = {
        status: 0,
        ms: performance.now() - start,
        contentType: "",
        text: `no answer: ${String(error)}${cause}`,
        location: null,
      };
    }
    this.msByRoute.set(route, Math.round((this.msByRoute.get(route) ?? 0) + answer.ms));
    this.check(probe, route, origin, answer);
    // Sent to sign in: the session has ended (a reset, an accepted invitation); sign in again
    // before the persona's next request, unless that has happened since this one was sent.
    if (cookie && cookie === this.cookies.get(probe.role) && answer.location?.startsWith("/log-ind"))
      this.signedOut.add(probe.role);
    return answer;
  }

  private check(probe: Probe, route: string, origin: "same" | "foreign" | "none", answer: Answer) {
    const finding = (detail: string): Finding => ({
      role: probe.role,
      method: probe.method,
      path: short(probe.path),
      route,
      what: probe.what,
      status: answer.status,
      ms: Math.round(answer.ms),
      detail: short(detail, 400),
    });
    if (answer.status >= 500) this.findings.serverErrors.push(finding(answer.text ?? answer.contentType));
    if (answer.ms > SLOW_MS) this.findings.slow.push(finding(`${Math.round(answer.ms)} ms`));
    else if (answer.status === 0) this.findings.dropped.push(finding(answer.text ?? ""));
    // Without an answer, the text is this client's own error, not the server's.
    const internals = answer.status > 0 && answer.text ? findInternals(answer.text) : null;
    if (internals) this.findings.internals.push(finding(`${internals.label}: ${internals.excerpt}`));
    if (probe.method !== "GET") {
      if (origin === "foreign" && answer.status > 0 && answer.status < 400)
        this.findings.crossSiteAccepted.push(finding(`answered ${answer.status} to Origin ${FOREIGN_ORIGIN}`));
      if (origin === "none") {
        this.withoutOrigin.sent += 1;
        if (answer.status >= 400 && answer.status < 500) this.withoutOrigin.refused += 1;
      }
    }
    if (answer.status !== 404 && answer.status !== 405 && answer.status > 0) this.reached.add(route);
  }

  routeOf(pathAndQuery: string) {
    const pathname = new URL(pathAndQuery, this.baseURL).pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/");
    return matchRoute(this.routes, pathname)?.route.file ?? "(no route)";
  }
}
