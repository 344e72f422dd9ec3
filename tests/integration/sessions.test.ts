import { eq } from "drizzle-orm";
import { licences, sessions } from "#db/schema";
import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import { hashSecretToken } from "~/auth/secret-tokens.server";
import { createSession, getSessionUser, SESSION_IDLE_MS } from "~/auth/session.server";
import { db } from "~/db.server";
import { recordInvitation } from "~/licensing/invitations.server";
import * as signIn from "~/routes/log-ind/route";
import * as invitation from "~/routes/invitation.$token";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const cookieFrom = (setCookie: string | null) => (setCookie ?? "").split(";")[0] ?? "";
/** The session row a Cookie header names. */
const rowFor = (cookie: string) => {
  const token = JSON.parse(
    Buffer.from(decodeURIComponent(cookie.split("=")[1]!).split(".")[0]!, "base64").toString("utf8"),
  ) as string;
  return db
    .select()
    .from(sessions)
    .where(eq(sessions.idHash, hashSecretToken(token)))
    .get();
};
const userOf = async (cookie: string, now?: Date) =>
  (await getSessionUser(request("/kurser", { cookie }), now))?.email ?? null;

const start = new Date("2030-09-02T07:00:00Z");
const later = (ms: number) => new Date(start.getTime() + ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("the idle timeout", () => {
  it("ends a session after eight hours without a request", async () => {
    const cookie = cookieFrom(await createSession(userIdByEmail(demoEmails.learner), start));
    expect(await userOf(cookie, later(SESSION_IDLE_MS - MINUTE))).toBe(demoEmails.learner);
    // That request counted: eight hours from it, not from the start.
    expect(await userOf(cookie, later(2 * SESSION_IDLE_MS - 2 * MINUTE))).toBe(demoEmails.learner);
    expect(await userOf(cookie, later(3 * SESSION_IDLE_MS))).toBeNull();
    expect(SESSION_IDLE_MS).toBe(8 * HOUR);
  });

  it("writes last-seen at most every five minutes, not on every request", async () => {
    const cookie = cookieFrom(await createSession(userIdByEmail(demoEmails.leader), start));
    for (const minutes of [1, 2, 4]) expect(await userOf(cookie, later(minutes * MINUTE))).toBe(demoEmails.leader);
    expect(rowFor(cookie)?.lastSeenAt).toEqual(start);
    expect(await userOf(cookie, later(6 * MINUTE))).toBe(demoEmails.leader);
    expect(rowFor(cookie)?.lastSeenAt).toEqual(later(6 * MINUTE));
  });

  it("deletes sessions that have gone idle or expired when someone signs in", async () => {
    const idle = cookieFrom(await createSession(userIdByEmail(demoEmails.admin), start));
    expect(rowFor(idle)).toBeDefined();
    await createSession(userIdByEmail(demoEmails.owner), later(SESSION_IDLE_MS + MINUTE));
    expect(rowFor(idle)).toBeUndefined();
  });
});

describe("a new session id", () => {
  it("is given on sign-in, and the session the browser had before ends", async () => {
    const email = demoEmails.healthVisitor;
    const old = await sessionCookieFor(email);
    // Gone idle, so the sign-in page is shown again rather than skipped.
    db.update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - MINUTE) })
      .where(eq(sessions.idHash, rowFor(old)!.idHash))
      .run();
    const response = await settle(() =>
      signIn.action(routeArgs(formRequest("/log-ind", { email, password: DEMO_PASSWORD, redirectTo: "" }, old))),
    );
    expect(response.status).toBe(302);
    const fresh = cookieFrom(response.headers.get("Set-Cookie"));
    expect(fresh).not.toBe(old);
    expect(await userOf(fresh)).toBe(email);
    expect(rowFor(old)).toBeUndefined();
  });

  it("is given when an invitation is accepted, even to the invitee who was signed in", async () => {
    const email = demoEmails.neighbourLearner;
    const licenceId = db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).get()!.id;
    const token = db.transaction((tx) => recordInvitation(tx, null, licenceId, email, new Date()));
    const old = await sessionCookieFor(email);
    const response = await settle(() =>
      invitation.action(routeArgs(formRequest(`/invitation/${token}`, {}, old), { token })),
    );
    expect(response.status).toBe(302);
    const fresh = cookieFrom(response.headers.get("Set-Cookie"));
    expect(fresh).toMatch(/^rettidig_session=/);
    expect(fresh).not.toBe(old);
    expect(await userOf(fresh)).toBe(email);
    expect(await userOf(old)).toBeNull();
  });
});

describe("the session cookie", () => {
  const publicUrl = process.env.PUBLIC_URL;
  afterEach(() => {
    if (publicUrl === undefined) delete process.env.PUBLIC_URL;
    else process.env.PUBLIC_URL = publicUrl;
    vi.resetModules();
  });

  /** session.server.ts as a process started with this PUBLIC_URL sees it. */
  async function sessionModuleAt(url: string) {
    process.env.PUBLIC_URL = url;
    vi.resetModules();
    return import("~/auth/session.server");
  }

  it("is named __Host-… over https: Secure, Path=/ and no Domain, which the prefix requires", async () => {
    const module = await sessionModuleAt("https://rettidig.example.dk");
    const setCookie = await module.createSession(userIdByEmail(demoEmails.learner));
    expect(setCookie).toMatch(/^__Host-rettidig_session=/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    expect(setCookie).not.toMatch(/Domain=/i);
    const user = await module.getSessionUser(
      new Request("https://rettidig.example.dk/kurser", { headers: { Cookie: cookieFrom(setCookie) } }),
    );
    expect(user?.email).toBe(demoEmails.learner);
    // The name without the prefix is not read: a cookie planted by plain http is ignored.
    const planted = cookieFrom(setCookie).replace(/^__Host-/, "");
    expect(
      await module.getSessionUser(new Request("https://rettidig.example.dk/kurser", { headers: { Cookie: planted } })),
    ).toBeNull();
  });

  it("keeps the plain name over http, where a browser would refuse the prefix", async () => {
    const module = await sessionModuleAt("http://localhost:3000");
    const setCookie = await module.createSession(userIdByEmail(demoEmails.learner));
    expect(setCookie).toMatch(/^rettidig_session=/);
    expect(setCookie).not.toMatch(/Secure/);
  });
});
