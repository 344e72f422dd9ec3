import { and, desc, eq, isNull } from "drizzle-orm";
import { invitations, licences, outboxEmails, seatEvents, seats, users } from "#db/schema";
import { getSessionUser } from "~/auth/session.server";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { canAccessCourse } from "~/licensing/access.server";
import { createLicence } from "~/licensing/licences.server";
import { danishDate } from "~/i18n/dates";
import { periodEnd } from "~/licensing/periods";
import * as admin from "~/routes/administration._index/route";
import * as invitation from "~/routes/invitation.$token";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

function demoLicenceId() {
  return db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).get()!.id;
}

async function invite(email: string, licenceId = demoLicenceId(), as = demoEmails.admin) {
  const cookie = await sessionCookieFor(as);
  return settle(() =>
    admin.action(
      routeArgs(formRequest("/administration", { intent: "invite", licenceId: String(licenceId), email }, cookie)),
    ),
  );
}

function linkTokenFor(email: string) {
  const mail = db.select().from(outboxEmails).where(eq(outboxEmails.to, email)).orderBy(desc(outboxEmails.id)).get();
  const token = mail?.text.match(/\/invitation\/([\w-]+)/)?.[1];
  if (!token) throw new Error(`no invitation mailed to ${email}`);
  return { token, mail: mail! };
}

const accept = (token: string, fields: Record<string, string>, cookie?: string) =>
  settle(() => invitation.action(routeArgs(formRequest(`/invitation/${token}`, fields, cookie), { token })));

describe("the administration page", () => {
  it("is for the municipality's admins only", async () => {
    for (const email of [demoEmails.learner, demoEmails.leader, demoEmails.owner]) {
      const cookie = await sessionCookieFor(email);
      expect((await settle(() => admin.loader(routeArgs(request("/administration", { cookie }))))).status).toBe(403);
    }
    expect((await settle(() => admin.loader(routeArgs(request("/administration"))))).status).toBe(302);
    const cookie = await sessionCookieFor(demoEmails.admin);
    const page = await settle(() => admin.loader(routeArgs(request("/administration", { cookie }))));
    expect(page.status).toBe(200);
    const body = (await page.json()) as { licences: { seatCount: number; seatsUsed: number }[] };
    expect(body.licences).toHaveLength(1);
    expect(body.licences[0]).toMatchObject({ seatCount: 100, seatsUsed: 4 });
  });

  it("refuses an invitation on another municipality's licence, and bad addresses", async () => {
    const otherLicence = createLicence(db, {
      organisationId: 2,
      planId: null,
      seatCount: 10,
      startsOn: danishDate(),
      endsOn: periodEnd(danishDate(), 12),
      courseIds: [],
    });
    expect((await invite("x@nabo-kommune.dk", otherLicence)).status).toBe(404);
    expect((await invite("x@demo-kommune.dk", demoLicenceId(), demoEmails.neighbourAdmin)).status).toBe(404);
    expect(db.select().from(invitations).where(eq(invitations.licenceId, otherLicence)).all()).toHaveLength(0);
    const bad = await invite("ikke en adresse");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { result: { error: Record<string, string[]> } }).result.error.email).toEqual([
      "validation.email",
    ]);
  });
});

describe("taking a seat back", () => {
  const revoke = async (seatId: number, as = demoEmails.admin) => {
    const cookie = await sessionCookieFor(as);
    return settle(() =>
      admin.action(routeArgs(formRequest("/administration", { intent: "revoke", seatId: String(seatId) }, cookie))),
    );
  };

  it("frees the seat and closes the courses, keeps the person's history, and logs it", async () => {
    const learner = userIdByEmail(demoEmails.learner);
    const seat = db
      .select()
      .from(seats)
      .where(and(eq(seats.userId, learner), isNull(seats.revokedAt)))
      .get()!;
    expect((await revoke(seat.id, demoEmails.learner)).status).toBe(403);
    // Another municipality's admin is told the seat does not exist.
    expect((await revoke(seat.id, demoEmails.neighbourAdmin)).status).toBe(404);

    expect((await revoke(seat.id)).status).toBe(200);
    expect(db.select().from(seats).where(eq(seats.id, seat.id)).get()?.revokedAt).toBeInstanceOf(Date);
    expect(canAccessCourse({ id: learner, platformRole: null }, 1)).toBe(false);
    const log = db
      .select()
      .from(seatEvents)
      .where(and(eq(seatEvents.subjectEmail, demoEmails.learner), eq(seatEvents.kind, "revoked")))
      .all();
    expect(log).toHaveLength(1);
    expect(log[0]?.actorUserId).toBe(userIdByEmail(demoEmails.admin));
    // A page shown before the seat was taken back is told so in place.
    expect((await revoke(seat.id)).status).toBe(409);
    expect((await revoke(999_999)).status).toBe(404);
  });
});

describe("giving a seat to someone else", () => {
  it("takes the seat from its holder, invites the new address, and logs both", async () => {
    const leader = userIdByEmail(demoEmails.leader);
    const seat = db
      .select()
      .from(seats)
      .where(and(eq(seats.userId, leader), isNull(seats.revokedAt)))
      .get()!;
    const reassign = async (as: string, email: string) => {
      const cookie = await sessionCookieFor(as);
      return settle(() =>
        admin.action(
          routeArgs(formRequest("/administration", { intent: "reassign", seatId: String(seat.id), email }, cookie)),
        ),
      );
    };
    expect((await reassign(demoEmails.neighbourAdmin, "ny@nabo-kommune.dk")).status).toBe(404);
    expect((await reassign(demoEmails.admin, "ikke en adresse")).status).toBe(400);
    expect(db.select().from(seats).where(eq(seats.id, seat.id)).get()?.revokedAt).toBeNull();

    expect((await reassign(demoEmails.admin, "afloeser@demo-kommune.dk")).status).toBe(200);
    expect(db.select().from(seats).where(eq(seats.id, seat.id)).get()?.revokedAt).toBeInstanceOf(Date);
    const kinds = db
      .select({ kind: seatEvents.kind, email: seatEvents.subjectEmail })
      .from(seatEvents)
      .where(eq(seatEvents.licenceId, seat.licenceId))
      .all();
    expect(kinds).toContainEqual({ kind: "reassigned", email: demoEmails.leader });
    expect(kinds).toContainEqual({ kind: "invited", email: "afloeser@demo-kommune.dk" });
    expect(linkTokenFor("afloeser@demo-kommune.dk").token).toBeTruthy();
  });
});

describe("accepting an invitation", () => {
  it("lets a new person choose a password, take a seat and start at once", async () => {
    expect((await invite("Ny.Paedagog@Demo-Kommune.dk")).status).toBe(200);
    const { token, mail } = linkTokenFor("ny.paedagog@demo-kommune.dk");
    expect(mail.subject).toBe("Du er inviteret til Rettidig af Demo Kommune");
    expect(mail.text).toContain("Hanne Berg fra Demo Kommune");

    const page = await settle(() => invitation.loader(routeArgs(request(`/invitation/${token}`), { token })));
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({
      invitation: { email: "ny.paedagog@demo-kommune.dk", hasAccount: false },
    });

    const mismatch = await accept(token, { name: "Ny Pædagog", password: "en-god-kode-1", confirm: "en-anden-kode" });
    expect(mismatch.status).toBe(400);

    const done = await accept(token, { name: "Ny Pædagog", password: "en-god-kode-1", confirm: "en-god-kode-1" });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/kurser");
    const cookie = (done.headers.get("Set-Cookie") ?? "").split(";")[0]!;
    expect((await getSessionUser(request("/kurser", { cookie })))?.email).toBe("ny.paedagog@demo-kommune.dk");

    const userId = userIdByEmail("ny.paedagog@demo-kommune.dk");
    expect(
      db
        .select()
        .from(seats)
        .where(and(eq(seats.userId, userId), isNull(seats.revokedAt)))
        .all(),
    ).toHaveLength(1);
    const log = db.select().from(seatEvents).where(eq(seatEvents.subjectEmail, "ny.paedagog@demo-kommune.dk")).all();
    expect(log.map((e) => e.kind).sort()).toEqual(["claimed", "invited"]);

    const again = await accept(token, { name: "Ny Pædagog", password: "en-god-kode-1", confirm: "en-god-kode-1" });
    expect(again.status).toBe(410);
  });

  it("asks someone who already has an account to sign in as that address first", async () => {
    await invite(demoEmails.neighbourLearner);
    const { token } = linkTokenFor(demoEmails.neighbourLearner);
    expect((await accept(token, {})).status).toBe(403);
    const someoneElse = await sessionCookieFor(demoEmails.leader);
    expect((await accept(token, {}, someoneElse)).status).toBe(403);
    const invitee = await sessionCookieFor(demoEmails.neighbourLearner);
    const done = await accept(token, {}, invitee);
    expect(done.status).toBe(302);
    // A new session id for the new seat; the one the invitee had before ends.
    const fresh = (done.headers.get("Set-Cookie") ?? "").split(";")[0]!;
    expect(fresh).not.toBe(invitee);
    expect((await getSessionUser(request("/kurser", { cookie: fresh })))?.email).toBe(demoEmails.neighbourLearner);
    expect(await getSessionUser(request("/kurser", { cookie: invitee }))).toBeNull();
  });

  it("tells the person in Danish that the licence is full, and saves nothing", async () => {
    const small = createLicence(db, {
      organisationId: 1,
      planId: null,
      seatCount: 1,
      startsOn: danishDate(),
      endsOn: periodEnd(danishDate(), 1),
      courseIds: [],
    });
    await invite("foerste@demo-kommune.dk", small);
    await invite("anden@demo-kommune.dk", small);
    const first = linkTokenFor("foerste@demo-kommune.dk").token;
    const second = linkTokenFor("anden@demo-kommune.dk").token;
    expect((await accept(first, { name: "Første", password: "kode-nummer-1", confirm: "kode-nummer-1" })).status).toBe(
      302,
    );
    const refused = await accept(second, { name: "Anden", password: "kode-nummer-2", confirm: "kode-nummer-2" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { result: { error?: Record<string, string[]> } }).result.error?.[""]).toEqual([
      "invite.full",
    ]);
    expect(db.select().from(users).where(eq(users.email, "anden@demo-kommune.dk")).get()).toBeUndefined();
  });

  it("refuses unknown and expired links", async () => {
    expect(
      (await settle(() => invitation.loader(routeArgs(request("/invitation/nope"), { token: "nope" })))).status,
    ).toBe(410);
    await invite("udloebet@demo-kommune.dk");
    const { token } = linkTokenFor("udloebet@demo-kommune.dk");
    db.update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.email, "udloebet@demo-kommune.dk"))
      .run();
    expect((await accept(token, { name: "X", password: "kode-nummer-3", confirm: "kode-nummer-3" })).status).toBe(410);
  });
});
