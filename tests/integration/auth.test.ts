import { desc, eq } from "drizzle-orm";
import { outboxEmails, passwordResets, sessions, users } from "#db/schema";
import { DEMO_PASSWORD } from "#db/seed";
import { getSessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import * as signIn from "~/routes/log-ind";
import * as signOut from "~/routes/log-ud";
import * as forgot from "~/routes/glemt-adgangskode";
import * as reset from "~/routes/nulstil-adgangskode.$token";
import * as myCourses from "~/routes/kurser._index";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const signInWith = (email: string, password: string, redirectTo = "") =>
  settle(() => signIn.action(routeArgs(formRequest("/log-ind", { email, password, redirectTo }))));

const cookieFrom = (response: Response) => (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";

describe("signing in", () => {
  it("signs in a demo user with the demo password and sends them on", async () => {
    const response = await signInWith("Medarbejder@Demo-Kommune.dk ", DEMO_PASSWORD, "/kurser/i-skolen-og-fritiden");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/kurser/i-skolen-og-fritiden");
    const setCookie = response.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const user = await getSessionUser(request("/kurser", { cookie: cookieFrom(response) }));
    expect(user?.email).toBe("medarbejder@demo-kommune.dk");
  });

  it("gives the same Danish message for a wrong password and an unknown e-mail", async () => {
    const wrongPassword = await signInWith("medarbejder@demo-kommune.dk", "forkert-adgangskode");
    const unknownEmail = await signInWith("findes-ikke@demo-kommune.dk", "forkert-adgangskode");
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const a = (await wrongPassword.json()) as { error: Record<string, string[]> };
    const b = (await unknownEmail.json()) as { error: Record<string, string[]> };
    expect(a.error[""]).toEqual(["E-mail eller adgangskode er forkert."]);
    expect(b.error).toEqual(a.error);
    expect(wrongPassword.headers.get("Set-Cookie")).toBeNull();
  });

  it("stops guessing after ten wrong passwords for one address, with the same answer for unknown ones", async () => {
    for (const email of ["laerer.gaet@demo-kommune.dk", "leder@demo-kommune.dk"]) {
      for (let i = 0; i < 10; i++) expect((await signInWith(email, `gæt-nummer-${i}`)).status).toBe(401);
      const blocked = await signInWith(email, DEMO_PASSWORD);
      expect(blocked.status).toBe(429);
      expect(((await blocked.json()) as { error: Record<string, string[]> }).error[""]).toEqual([
        "For mange forsøg. Vent et kvarter, og prøv igen.",
      ]);
    }
    // Other addresses are not affected.
    expect((await signInWith("medarbejder@demo-kommune.dk", DEMO_PASSWORD)).status).toBe(302);
  });

  it("answers a malformed form with 400 and field messages, never a 500", async () => {
    const response = await signInWith("ikke-en-email", "");
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: Record<string, string[]> };
    expect(body.error.email).toEqual(["validation.email"]);
    expect(body.error.password).toEqual(["validation.required"]);
  });

  it("never redirects to another site after signing in", async () => {
    for (const target of ["//evil.example/x", "/\t/evil.example", "/\\evil.example", "https://evil.example", "/\n/x"]) {
      const response = await signInWith("medarbejder@demo-kommune.dk", DEMO_PASSWORD, target);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/kurser");
    }
    const unicode = await signInWith("medarbejder@demo-kommune.dk", DEMO_PASSWORD, "/kurser?søg=æøå");
    expect(unicode.headers.get("Location")).toBe("/kurser?s%C3%B8g=%C3%A6%C3%B8%C3%A5");
  });

  it("answers a body that is not a form with 400, not 500", async () => {
    const response = await settle(() =>
      signIn.action(routeArgs(request("/log-ind", { method: "POST", body: "{}", headers: { "Content-Type": "multipart/form-data; boundary=x" } }))),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/Formularen kunne ikke læses/);
  });

  it("sends anonymous visitors to sign in and back", async () => {
    const response = await settle(() => myCourses.loader(routeArgs(request("/kurser?x=1"))));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/log-ind?redirectTo=%2Fkurser%3Fx%3D1");
  });
});

describe("signing out", () => {
  it("deletes the server-side session so the cookie no longer works", async () => {
    const cookie = await sessionCookieFor("leder@demo-kommune.dk");
    expect(await getSessionUser(request("/", { cookie }))).not.toBeNull();
    const response = await settle(() => signOut.action(routeArgs(request("/log-ud", { method: "POST", cookie }))));
    expect(response.status).toBe(302);
    expect(response.headers.get("Set-Cookie")).toMatch(/Max-Age=0/i);
    expect(await getSessionUser(request("/", { cookie }))).toBeNull();
  });
});

describe("forgotten password", () => {
  const email = "admin@demo-kommune.dk";

  async function requestResetLink() {
    const response = await settle(() => forgot.action(routeArgs(formRequest("/glemt-adgangskode", { email }))));
    expect(response.status).toBe(200);
    const mail = db.select().from(outboxEmails).where(eq(outboxEmails.to, email)).orderBy(desc(outboxEmails.id)).get();
    const token = mail?.text.match(/\/nulstil-adgangskode\/([\w-]+)/)?.[1];
    if (!token) throw new Error("no reset link in the outbox");
    return { mail, token };
  }

  it("answers an unknown e-mail exactly like a known one, and sends nothing", async () => {
    const before = db.select().from(outboxEmails).all().length;
    const response = await settle(() =>
      forgot.action(routeArgs(formRequest("/glemt-adgangskode", { email: "ukendt@demo-kommune.dk" }))),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { sent: boolean }).sent).toBe(true);
    expect(db.select().from(outboxEmails).all().length).toBe(before);
  });

  it("mails a link that sets a new password once, and signs the user out everywhere", async () => {
    const oldSession = await sessionCookieFor(email);
    const { mail, token } = await requestResetLink();
    expect(mail?.subject).toBe("Vælg en ny adgangskode til Rettidig");
    expect(mail?.text).toContain("Hej Hanne Berg");

    const page = await settle(() => reset.loader(routeArgs(request(`/nulstil-adgangskode/${token}`), { token })));
    expect(page.status).toBe(200);

    const mismatch = await settle(() =>
      reset.action(routeArgs(formRequest(`/nulstil-adgangskode/${token}`, { password: "ny-adgangskode-1", confirm: "noget-andet" }), { token })),
    );
    expect(mismatch.status).toBe(400);

    const done = await settle(() =>
      reset.action(
        routeArgs(formRequest(`/nulstil-adgangskode/${token}`, { password: "ny-adgangskode-1", confirm: "ny-adgangskode-1" }), { token }),
      ),
    );
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/log-ind?besked=password-changed");
    expect(await getSessionUser(request("/", { cookie: oldSession }))).toBeNull();
    expect((await signInWith(email, "ny-adgangskode-1")).status).toBe(302);
    expect((await signInWith(email, DEMO_PASSWORD)).status).toBe(401);

    const again = await settle(() =>
      reset.action(
        routeArgs(formRequest(`/nulstil-adgangskode/${token}`, { password: "endnu-en-kode-2", confirm: "endnu-en-kode-2" }), { token }),
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
        routeArgs(formRequest(`/nulstil-adgangskode/${newer.token}`, { password: "tredje-kode-333", confirm: "tredje-kode-333" }), {
          token: newer.token,
        }),
      ),
    );
    expect(done.status).toBe(302);
    const page = await settle(() => reset.loader(routeArgs(request(`/nulstil-adgangskode/${older.token}`), { token: older.token })));
    expect(page.status).toBe(410);
  });

  it("refuses an expired link", async () => {
    const { token } = await requestResetLink();
    db.update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.userId, userIdByEmail(email))).run();
    const page = await settle(() => reset.loader(routeArgs(request(`/nulstil-adgangskode/${token}`), { token })));
    expect(page.status).toBe(410);
  });

  it("stores only hashes of session and reset tokens", () => {
    const anySession = db.select().from(sessions).limit(1).get();
    expect(anySession?.idHash).toMatch(/^[0-9a-f]{64}$/);
    const hash = db.select().from(users).where(eq(users.email, email)).get()?.passwordHash;
    expect(hash).toMatch(/^\$argon2id\$/);
  });
});
