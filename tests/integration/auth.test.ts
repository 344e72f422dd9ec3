import { desc, eq } from "drizzle-orm";
import { outboxEmails, passwordResets, sessions, users } from "#db/schema";
import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import { getSessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import * as signIn from "~/routes/log-ind/route";
import * as signOut from "~/routes/log-ud";
import * as forgot from "~/routes/glemt-adgangskode";
import * as reset from "~/routes/nulstil-adgangskode.$token";
import * as myCourses from "~/routes/kurser._index";
import {
  formRequest,
  request,
  routeArgs,
  sessionCookieFor,
  settle,
  testContext,
  userIdByEmail,
} from "../utils/requests";

const signInWith = (email: string, password: string, redirectTo = "") =>
  settle(() => signIn.action(routeArgs(formRequest("/log-ind", { email, password, redirectTo }))));

const cookieFrom = (response: Response) => (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";

type Reply = { formId: string; result: { error?: Record<string, string[]> }; notice: { key: string } | null };
const replyOf = async (response: Response) => (await response.json()) as Reply;

describe("signing in", () => {
  it("signs in a demo user with the demo password and sends them on", async () => {
    const response = await signInWith("Medarbejder@Demo-Kommune.dk ", DEMO_PASSWORD, "/kurser/i-skolen-og-fritiden");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/kurser/i-skolen-og-fritiden");
    const setCookie = response.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const user = await getSessionUser(request("/kurser", { cookie: cookieFrom(response) }));
    expect(user?.email).toBe(demoEmails.learner);
  });

  it("gives the same Danish message for a wrong password and an unknown e-mail", async () => {
    const wrongPassword = await signInWith(demoEmails.learner, "forkert-adgangskode");
    const unknownEmail = await signInWith("findes-ikke@demo-kommune.dk", "forkert-adgangskode");
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const a = await replyOf(wrongPassword);
    const b = await replyOf(unknownEmail);
    expect(a.result.error?.[""]).toEqual(["signIn.failed"]);
    expect(b.result.error).toEqual(a.result.error);
    expect(wrongPassword.headers.get("Set-Cookie")).toBeNull();
    expect(unknownEmail.headers.get("Set-Cookie")).toBeNull();
  });

  it("stops guessing after ten wrong passwords for one address, with the same answer for unknown ones", async () => {
    for (const email of ["laerer.gaet@demo-kommune.dk", demoEmails.leader]) {
      for (let i = 0; i < 10; i++) expect((await signInWith(email, `gæt-nummer-${i}`)).status).toBe(401);
      const blocked = await signInWith(email, DEMO_PASSWORD);
      expect(blocked.status).toBe(429);
      expect((await replyOf(blocked)).result.error?.[""]).toEqual(["signIn.tooMany"]);
      expect(blocked.headers.get("Set-Cookie")).toBeNull();
    }
    // Other addresses are not affected.
    expect((await signInWith(demoEmails.learner, DEMO_PASSWORD)).status).toBe(302);
  });

  it("answers a malformed form with 400 and field messages, never a 500", async () => {
    const response = await signInWith("ikke-en-email", "");
    expect(response.status).toBe(400);
    const body = await replyOf(response);
    expect(body.result.error?.email).toEqual(["validation.email"]);
    expect(body.result.error?.password).toEqual(["validation.required"]);
  });

  it("never redirects to another site after signing in", async () => {
    for (const target of ["//evil.example/x", "/\t/evil.example", "/\\evil.example", "https://evil.example", "/\n/x"]) {
      const response = await signInWith(demoEmails.learner, DEMO_PASSWORD, target);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/kurser");
    }
    const unicode = await signInWith(demoEmails.learner, DEMO_PASSWORD, "/kurser?søg=æøå");
    expect(unicode.headers.get("Location")).toBe("/kurser?s%C3%B8g=%C3%A6%C3%B8%C3%A5");
  });

  it("answers a body that is not a form with 400, not 500", async () => {
    const response = await settle(() =>
      signIn.action(
        routeArgs(
          request("/log-ind", {
            method: "POST",
            body: "{}",
            headers: { "Content-Type": "multipart/form-data; boundary=x" },
          }),
        ),
      ),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe("error.unreadableForm");
  });

  it("sends anonymous visitors to sign in and back", async () => {
    const response = await settle(() => myCourses.loader(routeArgs(request("/kurser?x=1"))));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/log-ind?redirectTo=%2Fkurser%3Fx%3D1");
  });
});

describe("signing out", () => {
  it("deletes the server-side session so the cookie no longer works", async () => {
    const cookie = await sessionCookieFor(demoEmails.leader);
    expect(await getSessionUser(request("/", { cookie }))).not.toBeNull();
    const response = await settle(() => signOut.action(routeArgs(request("/log-ud", { method: "POST", cookie }))));
    expect(response.status).toBe(302);
    expect(response.headers.get("Set-Cookie")).toMatch(/Max-Age=0/i);
    expect(await getSessionUser(request("/", { cookie }))).toBeNull();
  });
});

const askForReset = (email: string, client = "127.0.0.1") =>
  settle(() => forgot.action(routeArgs(formRequest("/glemt-adgangskode", { email }), {}, testContext(client))));

const mailsTo = (email: string) => db.select().from(outboxEmails).where(eq(outboxEmails.to, email)).all().length;

describe("forgotten password", () => {
  const email = demoEmails.admin;

  async function requestResetLink(to = email) {
    const response = await askForReset(to);
    expect(response.status).toBe(200);
    const mail = db.select().from(outboxEmails).where(eq(outboxEmails.to, to)).orderBy(desc(outboxEmails.id)).get();
    const token = mail?.text.match(/\/nulstil-adgangskode\/([\w-]+)/)?.[1];
    if (!token) throw new Error("no reset link in the outbox");
    return { mail, token };
  }

  it("answers an unknown e-mail exactly like a known one, and sends nothing", async () => {
    const before = db.select().from(outboxEmails).all().length;
    const unknown = await askForReset("ukendt@demo-kommune.dk");
    expect(unknown.status).toBe(200);
    expect(db.select().from(outboxEmails).all().length).toBe(before);
    const known = await askForReset(demoEmails.leader);
    expect(known.status).toBe(200);
    expect(db.select().from(outboxEmails).all().length).toBe(before + 1);
    const knownReply = await replyOf(known);
    expect(knownReply.notice).toEqual({ key: "forgot.sent" });
    expect(await replyOf(unknown)).toEqual(knownReply);
  });

  it("mails one address at most three links an hour, and says the same either way", async () => {
    const to = demoEmails.healthVisitor;
    const replies: Reply[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await askForReset(to, `192.0.2.${50 + i}`);
      expect(response.status).toBe(200);
      replies.push(await replyOf(response));
    }
    expect(mailsTo(to)).toBe(3);
    expect(new Set(replies.map((reply) => JSON.stringify(reply))).size).toBe(1);
    // An unknown address meets its limit the same way, so the answer tells nobody which addresses exist.
    for (let i = 0; i < 5; i++)
      expect(await replyOf(await askForReset("findes-ikke@demo-kommune.dk", `192.0.2.${60 + i}`))).toEqual(replies[0]);
  });

  it("stops one client from asking for links to address after address", async () => {
    const client = "198.51.100.20";
    const before = db.select().from(outboxEmails).all().length;
    for (let i = 0; i < 20; i++) expect((await askForReset(`ukendt${i}@demo-kommune.dk`, client)).status).toBe(200);
    const refused = await askForReset(demoEmails.neighbourLearner, client);
    expect(refused.status).toBe(429);
    expect((await replyOf(refused)).result.error?.[""]).toEqual(["forgot.tooMany"]);
    expect(mailsTo(demoEmails.neighbourLearner)).toBe(0);
    expect(db.select().from(outboxEmails).all().length).toBe(before);
    // Someone else may still ask for that address.
    expect((await askForReset(demoEmails.neighbourLearner, "198.51.100.21")).status).toBe(200);
    expect(mailsTo(demoEmails.neighbourLearner)).toBe(1);
  });

  it("mails a link that sets a new password once, and signs the user out everywhere", async () => {
    const oldSession = await sessionCookieFor(email);
    const { mail, token } = await requestResetLink();
    expect(mail?.subject).toBe("Vælg en ny adgangskode til Rettidig");
    expect(mail?.text).toContain("Hej Hanne Berg");

    const page = await settle(() => reset.loader(routeArgs(request(`/nulstil-adgangskode/${token}`), { token })));
    expect(page.status).toBe(200);

    const mismatch = await settle(() =>
      reset.action(
        routeArgs(
          formRequest(`/nulstil-adgangskode/${token}`, { password: "ny-adgangskode-1", confirm: "noget-andet" }),
          { token },
        ),
      ),
    );
    expect(mismatch.status).toBe(400);

    const done = await settle(() =>
      reset.action(
        routeArgs(
          formRequest(`/nulstil-adgangskode/${token}`, { password: "ny-adgangskode-1", confirm: "ny-adgangskode-1" }),
          { token },
        ),
      ),
    );
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/log-ind?besked=password-changed");
    expect(await getSessionUser(request("/", { cookie: oldSession }))).toBeNull();
    expect((await signInWith(email, "ny-adgangskode-1")).status).toBe(302);
    expect((await signInWith(email, DEMO_PASSWORD)).status).toBe(401);

    const again = await settle(() =>
      reset.action(
        routeArgs(
          formRequest(`/nulstil-adgangskode/${token}`, { password: "endnu-en-kode-2", confirm: "endnu-en-kode-2" }),
          { token },
        ),
      ),
    );
    expect(again.status).toBe(410);
  });

  it("spends older links when a newer one is used", async () => {
    const older = await requestResetLink();
    const newer = await requestResetLink();
    expect(older.token).not.toBe(newer.token);
    const done = await settle(() =>
      reset.action(
        routeArgs(
          formRequest(`/nulstil-adgangskode/${newer.token}`, {
            password: "tredje-kode-333",
            confirm: "tredje-kode-333",
          }),
          {
            token: newer.token,
          },
        ),
      ),
    );
    expect(done.status).toBe(302);
    const page = await settle(() =>
      reset.loader(routeArgs(request(`/nulstil-adgangskode/${older.token}`), { token: older.token })),
    );
    expect(page.status).toBe(410);
  });

  it("refuses an expired link", async () => {
    const to = demoEmails.learner;
    const { token } = await requestResetLink(to);
    expect(
      (await settle(() => reset.loader(routeArgs(request(`/nulstil-adgangskode/${token}`), { token })))).status,
    ).toBe(200);
    db.update(passwordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResets.userId, userIdByEmail(to)))
      .run();
    const page = await settle(() => reset.loader(routeArgs(request(`/nulstil-adgangskode/${token}`), { token })));
    expect(page.status).toBe(410);
    const done = await settle(() =>
      reset.action(
        routeArgs(
          formRequest(`/nulstil-adgangskode/${token}`, { password: "for-sent-kode-4", confirm: "for-sent-kode-4" }),
          { token },
        ),
      ),
    );
    expect(done.status).toBe(410);
    expect((await replyOf(done)).result.error?.[""]).toEqual(["reset.invalid"]);
  });

  it("stores only hashes of session and reset tokens, and argon2id password hashes", async () => {
    const cookieToken = decodeURIComponent((await sessionCookieFor(demoEmails.leader)).split("=")[1]!);
    const sessionHashes = db
      .select({ idHash: sessions.idHash })
      .from(sessions)
      .all()
      .map((row) => row.idHash);
    expect(sessionHashes.length).toBeGreaterThan(0);
    for (const idHash of sessionHashes) expect(idHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(sessionHashes)).not.toContain(cookieToken.split(".")[0]);

    const { token } = await requestResetLink(demoEmails.neighbourLearner);
    const resetHashes = db
      .select({ tokenHash: passwordResets.tokenHash })
      .from(passwordResets)
      .all()
      .map((row) => row.tokenHash);
    expect(resetHashes.length).toBeGreaterThan(0);
    for (const tokenHash of resetHashes) expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(resetHashes).not.toContain(token);

    const hash = db.select().from(users).where(eq(users.email, email)).get()?.passwordHash;
    expect(hash).toMatch(/^\$argon2id\$/);
  });
});
