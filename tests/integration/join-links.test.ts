import { and, desc, eq, isNull } from "drizzle-orm";
import { invitations, joinLinks, licences, memberships, outboxEmails, seatEvents, seats, users } from "#db/schema";
import { hashSecretToken } from "~/auth/secret-tokens.server";
import { getSessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { claimSeat, createLicence } from "~/licensing/licences.server";
import { danishDate, periodEnd, shiftDays } from "~/licensing/periods";
import * as linksPage from "~/routes/administration.tilmeldingslinks";
import * as joinPage from "~/routes/deltag.$token";
import * as invitationPage from "~/routes/invitation.$token";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const ADMIN = "admin@demo-kommune.dk";

type LinkRow = { id: number; licenceId: number; uses: number; maxUses: number; state: string };
type CreateReply = { result: { error?: Record<string, string[]> } | null; created: string | null };

function demoLicenceId() {
  return db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).get()!.id;
}

function newLicence(seatCount: number) {
  return createLicence(db, { organisationId: 1, planId: null, seatCount, startsOn: danishDate(), endsOn: periodEnd(danishDate(), 12), courseIds: [] });
}

async function createLink(fields: { licenceId?: number; expiresOn?: string; maxUses?: number } = {}, as = ADMIN) {
  const cookie = await sessionCookieFor(as);
  const form = {
    intent: "create",
    licenceId: String(fields.licenceId ?? demoLicenceId()),
    expiresOn: fields.expiresOn ?? shiftDays(danishDate(), 30),
    maxUses: String(fields.maxUses ?? 5),
  };
  const response = await settle(() => linksPage.action(routeArgs(formRequest("/administration/tilmeldingslinks", form, cookie))));
  return { status: response.status, body: (await response.json()) as CreateReply };
}

/** A new link's token: the page shows it once, in the link. */
async function newLinkToken(fields: { licenceId?: number; maxUses?: number } = {}) {
  const { body } = await createLink(fields);
  const token = body.created?.split("/deltag/")[1];
  if (!token) throw new Error("no link created");
  return token;
}

async function listLinks(as = ADMIN) {
  const cookie = await sessionCookieFor(as);
  const page = await settle(() => linksPage.loader(routeArgs(request("/administration/tilmeldingslinks", { cookie }))));
  return ((await page.json()) as { links: LinkRow[] }).links;
}

const linkRow = (token: string) => db.select().from(joinLinks).where(eq(joinLinks.tokenHash, hashSecretToken(token))).get()!;

const openJoin = (token: string, cookie?: string) => settle(() => joinPage.loader(routeArgs(request(`/deltag/${token}`, { cookie }), { token })));

async function join(token: string, fields: Record<string, string>, cookie?: string) {
  const response = await settle(() => joinPage.action(routeArgs(formRequest(`/deltag/${token}`, fields, cookie), { token })));
  const body = response.status === 302 ? null : ((await response.json()) as { refusal: string | null; sent: string | null; result: { error?: Record<string, string[]> } | null });
  return { status: response.status, body, response };
}

function lastMailTo(email: string) {
  return db.select().from(outboxEmails).where(eq(outboxEmails.to, email)).orderBy(desc(outboxEmails.id)).get();
}

function invitationToken(email: string) {
  const token = lastMailTo(email)?.text.match(/\/invitation\/([\w-]+)/)?.[1];
  if (!token) throw new Error(`no confirmation mailed to ${email}`);
  return token;
}

describe("managing join links", () => {
  it("is for the licence's own municipality's admins, who see the link once", async () => {
    for (const email of ["medarbejder@demo-kommune.dk", "leder@demo-kommune.dk"]) {
      const cookie = await sessionCookieFor(email);
      expect((await settle(() => linksPage.loader(routeArgs(request("/administration/tilmeldingslinks", { cookie }))))).status).toBe(403);
      expect((await createLink({}, email)).status).toBe(403);
    }
    expect((await settle(() => linksPage.loader(routeArgs(request("/administration/tilmeldingslinks"))))).status).toBe(302);

    const created = await createLink({ maxUses: 25 });
    expect(created.status).toBe(200);
    const token = created.body.created?.match(/\/deltag\/([\w-]+)$/)?.[1];
    expect(token).toBeTruthy();
    const row = linkRow(token!);
    expect(row).toMatchObject({ licenceId: demoLicenceId(), maxUses: 25, uses: 0, createdBy: userIdByEmail(ADMIN) });
    expect(JSON.stringify(row)).not.toContain(token);
    // Valid through the chosen day in Danish time.
    expect(danishDate(new Date(row.expiresAt.getTime() - 1))).toBe(shiftDays(danishDate(), 30));
    expect(danishDate(row.expiresAt)).toBe(shiftDays(danishDate(), 31));
    expect(await listLinks()).toContainEqual(expect.objectContaining({ id: row.id, uses: 0, maxUses: 25, state: "active" }));

    // Another municipality's admin sees none of it and can change none of it.
    expect(await listLinks("admin@nabo-kommune.dk")).toEqual([]);
    expect((await createLink({}, "admin@nabo-kommune.dk")).status).toBe(404);
    const neighbour = await sessionCookieFor("admin@nabo-kommune.dk");
    const revokeAsNeighbour = await settle(() =>
      linksPage.action(routeArgs(formRequest("/administration/tilmeldingslinks", { intent: "revoke", linkId: String(row.id) }, neighbour))),
    );
    expect(revokeAsNeighbour.status).toBe(404);
    expect(linkRow(token!).revokedAt).toBeNull();

    const cookie = await sessionCookieFor(ADMIN);
    const revoke = () => settle(() => linksPage.action(routeArgs(formRequest("/administration/tilmeldingslinks", { intent: "revoke", linkId: String(row.id) }, cookie))));
    expect((await revoke()).status).toBe(200);
    expect((await revoke()).status).toBe(200);
    expect(await listLinks()).toContainEqual(expect.objectContaining({ id: row.id, state: "revoked" }));
    expect((await openJoin(token!)).status).toBe(410);
  });

  it("refuses expiry dates and use limits outside the rules, with keys for the form", async () => {
    const today = danishDate();
    const cases: [Parameters<typeof createLink>[0], string, string][] = [
      [{ expiresOn: shiftDays(today, -1) }, "expiresOn", "joinLinks.expiryPast"],
      [{ expiresOn: shiftDays(today, 91) }, "expiresOn", "joinLinks.expiryTooFar"],
      [{ expiresOn: "31-12-2026" }, "expiresOn", "joinLinks.expiryInvalid"],
      [{ maxUses: 0 }, "maxUses", "joinLinks.usesRange"],
      [{ maxUses: 10_001 }, "maxUses", "joinLinks.usesRange"],
      [{ maxUses: 101 }, "maxUses", "joinLinks.usesAboveSeats"],
    ];
    const before = (await listLinks()).length;
    for (const [fields, field, key] of cases) {
      const reply = await createLink(fields);
      expect([reply.status, reply.body.result?.error?.[field]]).toEqual([400, [key]]);
    }
    const shortLicence = createLicence(db, { organisationId: 1, planId: null, seatCount: 5, startsOn: today, endsOn: shiftDays(today, 10), courseIds: [] });
    expect((await createLink({ licenceId: shortLicence, expiresOn: shiftDays(today, 11) })).body.result?.error?.expiresOn).toEqual(["joinLinks.expiryAfterLicence"]);
    expect((await createLink({ expiresOn: today, maxUses: 100 })).status).toBe(200);
    expect(await listLinks()).toHaveLength(before + 1);
  });
});

describe("joining with a link", () => {
  it("refuses unknown, expired and revoked links in Danish", async () => {
    const unknown = await openJoin("ikke-et-link");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ problem: "join.unknown" });
    expect((await join("ikke-et-link", { email: "x@demo-kommune.dk" })).status).toBe(404);

    const token = await newLinkToken();
    expect(await (await openJoin(token)).json()).toMatchObject({ organisationName: "Demo Kommune", problem: null });
    db.update(joinLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(joinLinks.tokenHash, hashSecretToken(token))).run();
    const expired = await openJoin(token);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ problem: "join.closed" });
    const refused = await join(token, { email: "sen@demo-kommune.dk" });
    expect([refused.status, refused.body?.refusal]).toEqual([410, "join.closed"]);
    expect(lastMailTo("sen@demo-kommune.dk")).toBeUndefined();
  });

  it("admits only addresses in the municipality's own domains", async () => {
    const token = await newLinkToken();
    for (const email of ["jens@nabo-kommune.dk", "privat@gmail.com", "sub@skole.demo-kommune.dk", "ikke en adresse"]) {
      const reply = await join(token, { email });
      expect(reply.status).toBe(400);
      expect(reply.body?.result?.error?.email).toEqual([email.includes(" ") ? "validation.email" : "join.wrongDomain"]);
      expect(lastMailTo(email)).toBeUndefined();
    }
    expect(linkRow(token).uses).toBe(0);
  });

  it("mails a confirmation whose link creates the account and takes the seat", async () => {
    const licenceId = newLicence(5);
    const token = await newLinkToken({ licenceId });
    expect((await join(token, { email: "Ny.Paedagog@Demo-Kommune.dk" })).body?.sent).toBe("ny.paedagog@demo-kommune.dk");
    expect(linkRow(token).uses).toBe(1);
    const invitation = db.select().from(invitations).where(eq(invitations.email, "ny.paedagog@demo-kommune.dk")).get()!;
    expect(invitation).toMatchObject({ licenceId, invitedBy: null, acceptedAt: null });
    // No account or seat until the address is proven.
    expect(db.select().from(users).where(eq(users.email, "ny.paedagog@demo-kommune.dk")).get()).toBeUndefined();
    expect(lastMailTo("ny.paedagog@demo-kommune.dk")?.subject).toBe("Bekræft din e-mail og tag din plads på Rettidig");

    const confirm = invitationToken("ny.paedagog@demo-kommune.dk");
    const fields = { name: "Ny Pædagog", password: "en-god-kode-1", confirm: "en-god-kode-1" };
    const accepted = await settle(() => invitationPage.action(routeArgs(formRequest(`/invitation/${confirm}`, fields), { token: confirm })));
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Location")).toBe("/kurser");
    const cookie = (accepted.headers.get("Set-Cookie") ?? "").split(";")[0]!;
    expect((await getSessionUser(request("/kurser", { cookie })))?.email).toBe("ny.paedagog@demo-kommune.dk");

    const userId = userIdByEmail("ny.paedagog@demo-kommune.dk");
    expect(db.select().from(seats).where(and(eq(seats.licenceId, licenceId), eq(seats.userId, userId), isNull(seats.revokedAt))).all()).toHaveLength(1);
    expect(db.select().from(memberships).where(eq(memberships.userId, userId)).get()).toMatchObject({ organisationId: 1, role: "learner" });
    const log = db.select({ kind: seatEvents.kind, actor: seatEvents.actorUserId }).from(seatEvents).where(eq(seatEvents.subjectEmail, "ny.paedagog@demo-kommune.dk")).all();
    expect(log).toEqual([
      { kind: "invited", actor: null },
      { kind: "claimed", actor: userId },
    ]);
  });

  it("re-sends a pending confirmation instead of making a second, using nothing", async () => {
    const token = await newLinkToken();
    await join(token, { email: "glemsom@demo-kommune.dk" });
    const first = invitationToken("glemsom@demo-kommune.dk");
    expect((await join(token, { email: "glemsom@demo-kommune.dk" })).status).toBe(200);
    const second = invitationToken("glemsom@demo-kommune.dk");
    expect(second).not.toBe(first);
    expect(db.select().from(invitations).where(eq(invitations.email, "glemsom@demo-kommune.dk")).all()).toHaveLength(1);
    expect(linkRow(token).uses).toBe(1);
    expect((await settle(() => invitationPage.loader(routeArgs(request(`/invitation/${first}`), { token: first })))).status).toBe(410);
    expect((await settle(() => invitationPage.loader(routeArgs(request(`/invitation/${second}`), { token: second })))).status).toBe(200);
  });

  it("mails someone who already holds a seat a sign-in link, using nothing", async () => {
    const token = await newLinkToken();
    const reply = await join(token, { email: "medarbejder@demo-kommune.dk" });
    expect(reply.body?.sent).toBe("medarbejder@demo-kommune.dk");
    expect(lastMailTo("medarbejder@demo-kommune.dk")?.text).toContain("/log-ind");
    expect(linkRow(token).uses).toBe(0);
  });

  it("admits no more people than the link allows, however many ask at once", async () => {
    const token = await newLinkToken({ maxUses: 3 });
    const replies = await Promise.all([1, 2, 3, 4, 5].map((n) => join(token, { email: `samtidig${n}@demo-kommune.dk` })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 410, 410]);
    expect(linkRow(token).uses).toBe(3);
    const invited = db.select().from(invitations).all().filter((i) => i.email.startsWith("samtidig"));
    expect(invited).toHaveLength(3);
    expect(await listLinks()).toContainEqual(expect.objectContaining({ id: linkRow(token).id, state: "usedUp" }));
  });

  it("tells the person the licence is full, and saves and sends nothing", async () => {
    const licenceId = newLicence(1);
    claimSeat(licenceId, userIdByEmail("leder@demo-kommune.dk"));
    const token = await newLinkToken({ licenceId, maxUses: 1 });
    const invitationsBefore = db.select().from(invitations).all().length;
    const reply = await join(token, { email: "for-sent@demo-kommune.dk" });
    expect([reply.status, reply.body?.refusal]).toEqual([409, "invite.full"]);
    expect(linkRow(token).uses).toBe(0);
    expect(db.select().from(invitations).all()).toHaveLength(invitationsBefore);
    expect(lastMailTo("for-sent@demo-kommune.dk")).toBeUndefined();
  });

  it("gives someone signed in the seat at once, once", async () => {
    const licenceId = newLicence(5);
    const token = await newLinkToken({ licenceId });
    const cookie = await sessionCookieFor("medarbejder@demo-kommune.dk");
    expect(await (await openJoin(token, cookie)).json()).toMatchObject({ signedInAs: "medarbejder@demo-kommune.dk" });

    const first = await join(token, {}, cookie);
    expect(first.status).toBe(302);
    expect(first.response.headers.get("Location")).toBe("/kurser");
    const userId = userIdByEmail("medarbejder@demo-kommune.dk");
    expect(db.select().from(seats).where(and(eq(seats.licenceId, licenceId), eq(seats.userId, userId), isNull(seats.revokedAt))).all()).toHaveLength(1);
    expect(db.select().from(seatEvents).where(and(eq(seatEvents.licenceId, licenceId), eq(seatEvents.kind, "claimed"))).all()).toHaveLength(1);
    expect((await join(token, {}, cookie)).status).toBe(302);
    expect(linkRow(token).uses).toBe(1);

    const outsider = await join(token, {}, await sessionCookieFor("medarbejder@nabo-kommune.dk"));
    expect([outsider.status, outsider.body?.refusal]).toEqual([400, "join.wrongDomain"]);
    expect(linkRow(token).uses).toBe(1);
  });

  it("gives a signed-in person no seat once the link is used up", async () => {
    const licenceId = newLicence(5);
    const token = await newLinkToken({ licenceId, maxUses: 1 });
    expect((await join(token, {}, await sessionCookieFor("sundhedsplejerske@demo-kommune.dk"))).status).toBe(302);
    const late = await join(token, {}, await sessionCookieFor("leder@demo-kommune.dk"));
    expect([late.status, late.body?.refusal]).toEqual([410, "join.closed"]);
    expect(db.select().from(seats).where(and(eq(seats.licenceId, licenceId), isNull(seats.revokedAt))).all()).toHaveLength(1);
    expect(linkRow(token).uses).toBe(1);
  });
});
