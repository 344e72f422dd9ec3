import { and, desc, eq, isNull } from "drizzle-orm";
import { invitations, joinLinks, licences, memberships, outboxEmails, seatEvents, seats, users } from "#db/schema";
import { hashSecretToken } from "~/auth/secret-tokens.server";
import { getSessionUser } from "~/auth/session.server";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { requestSeatWithJoinLink } from "~/licensing/join-links.server";
import { claimSeat, createLicence } from "~/licensing/licences.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { periodEnd } from "~/licensing/periods";
import * as linksPage from "~/routes/administration.tilmeldingslinks";
import * as joinPage from "~/routes/deltag.$token";
import * as invitationPage from "~/routes/invitation.$token";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const ADMIN = demoEmails.admin;

type LinkRow = { id: number; licenceId: number; uses: number; maxUses: number; state: string };
type CreateReply = {
  formId: string;
  result: { error?: Record<string, string[]> };
  notice: { key: string; values?: { link?: string } } | null;
};

function demoLicenceId() {
  return db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).get()!.id;
}

function newLicence(seatCount: number) {
  return createLicence(db, {
    organisationId: 1,
    planId: null,
    seatCount,
    startsOn: danishDate(),
    endsOn: periodEnd(danishDate(), 12),
    courseIds: [],
  });
}

async function createLink(fields: { licenceId?: number; expiresOn?: string; maxUses?: number } = {}, as = ADMIN) {
  const cookie = await sessionCookieFor(as);
  const form = {
    intent: "create",
    licenceId: String(fields.licenceId ?? demoLicenceId()),
    expiresOn: fields.expiresOn ?? shiftDays(danishDate(), 30),
    maxUses: String(fields.maxUses ?? 5),
  };
  const response = await settle(() =>
    linksPage.action(routeArgs(formRequest("/administration/tilmeldingslinks", form, cookie))),
  );
  return { status: response.status, body: (await response.json()) as CreateReply };
}

/** A new link's token: the page shows it once, in the link. */
async function newLinkToken(fields: { licenceId?: number; maxUses?: number } = {}) {
  const { status, body } = await createLink(fields);
  expect(status).toBe(200);
  const token = body.notice?.values?.link?.split("/deltag/")[1];
  if (!token) throw new Error("no link created");
  return token;
}

async function listLinks(as = ADMIN) {
  const cookie = await sessionCookieFor(as);
  const page = await settle(() => linksPage.loader(routeArgs(request("/administration/tilmeldingslinks", { cookie }))));
  expect(page.status).toBe(200);
  return ((await page.json()) as { links: LinkRow[] }).links;
}

const linkRow = (token: string) =>
  db
    .select()
    .from(joinLinks)
    .where(eq(joinLinks.tokenHash, hashSecretToken(token)))
    .get()!;

const openJoin = (token: string, cookie?: string) =>
  settle(() => joinPage.loader(routeArgs(request(`/deltag/${token}`, { cookie }), { token })));

type JoinReply = {
  formId: string;
  result: { error?: Record<string, string[] | null> };
  notice: { key: string; values?: { email?: string } } | null;
};

/** The join page's reply, read as what the person is shown: a refusal above the form, or where the mail went. */
async function join(token: string, fields: Record<string, string>, cookie?: string) {
  const response = await settle(() =>
    joinPage.action(routeArgs(formRequest(`/deltag/${token}`, fields, cookie), { token })),
  );
  if (response.status === 302) return { status: response.status, body: null, response };
  const reply = (await response.json()) as JoinReply;
  const body = {
    result: reply.result,
    refusal: reply.result.error?.[""]?.[0] ?? null,
    sent: reply.notice?.values?.email ?? null,
  };
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
    for (const email of [demoEmails.learner, demoEmails.leader]) {
      const cookie = await sessionCookieFor(email);
      expect(
        (await settle(() => linksPage.loader(routeArgs(request("/administration/tilmeldingslinks", { cookie })))))
          .status,
      ).toBe(403);
      expect((await createLink({}, email)).status).toBe(403);
    }
    expect((await settle(() => linksPage.loader(routeArgs(request("/administration/tilmeldingslinks"))))).status).toBe(
      302,
    );

    const created = await createLink({ maxUses: 25 });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ formId: "create-join-link", notice: { key: "joinLinks.created" } });
    const token = created.body.notice?.values?.link?.match(/\/deltag\/([\w-]+)$/)?.[1];
    expect(token).toBeTruthy();
    const row = linkRow(token!);
    expect(row).toMatchObject({ licenceId: demoLicenceId(), maxUses: 25, uses: 0, createdBy: userIdByEmail(ADMIN) });
    expect(JSON.stringify(row)).not.toContain(token);
    // Valid through the chosen day in Danish time.
    expect(danishDate(new Date(row.expiresAt.getTime() - 1))).toBe(shiftDays(danishDate(), 30));
    expect(danishDate(row.expiresAt)).toBe(shiftDays(danishDate(), 31));
    expect(await listLinks()).toContainEqual(
      expect.objectContaining({ id: row.id, uses: 0, maxUses: 25, state: "active" }),
    );

    // Another municipality's admin sees none of it and can change none of it.
    expect(await listLinks(demoEmails.neighbourAdmin)).toEqual([]);
    expect((await createLink({}, demoEmails.neighbourAdmin)).status).toBe(404);
    const neighbour = await sessionCookieFor(demoEmails.neighbourAdmin);
    const revokeAsNeighbour = await settle(() =>
      linksPage.action(
        routeArgs(
          formRequest("/administration/tilmeldingslinks", { intent: "revoke", linkId: String(row.id) }, neighbour),
        ),
      ),
    );
    expect(revokeAsNeighbour.status).toBe(404);
    expect(linkRow(token!).revokedAt).toBeNull();

    const cookie = await sessionCookieFor(ADMIN);
    const revoke = () =>
      settle(() =>
        linksPage.action(
          routeArgs(
            formRequest("/administration/tilmeldingslinks", { intent: "revoke", linkId: String(row.id) }, cookie),
          ),
        ),
      );
    const revoked = await revoke();
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ formId: `link-${row.id}`, notice: { key: "joinLinks.revoked" } });
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
    const shortLicence = createLicence(db, {
      organisationId: 1,
      planId: null,
      seatCount: 5,
      startsOn: today,
      endsOn: shiftDays(today, 10),
      courseIds: [],
    });
    const afterLicence = await createLink({ licenceId: shortLicence, expiresOn: shiftDays(today, 11) });
    expect(afterLicence.status).toBe(400);
    expect(afterLicence.body.result.error?.expiresOn).toEqual(["joinLinks.expiryAfterLicence"]);
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
    const open = await openJoin(token);
    expect(open.status).toBe(200);
    expect(await open.json()).toMatchObject({ organisationName: "Demo Kommune", problem: null });
    db.update(joinLinks)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(joinLinks.tokenHash, hashSecretToken(token)))
      .run();
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
    const asked = await join(token, { email: "Ny.Paedagog@Demo-Kommune.dk" });
    expect(asked.status).toBe(200);
    expect(asked.body?.sent).toBe("ny.paedagog@demo-kommune.dk");
    expect(linkRow(token).uses).toBe(1);
    const invitation = db.select().from(invitations).where(eq(invitations.email, "ny.paedagog@demo-kommune.dk")).get()!;
    expect(invitation).toMatchObject({ licenceId, invitedBy: null, acceptedAt: null });
    // No account or seat until the address is proven.
    expect(db.select().from(users).where(eq(users.email, "ny.paedagog@demo-kommune.dk")).get()).toBeUndefined();
    expect(lastMailTo("ny.paedagog@demo-kommune.dk")?.subject).toBe("Bekræft din e-mail og tag din plads på Rettidig");

    const confirm = invitationToken("ny.paedagog@demo-kommune.dk");
    const fields = { name: "Ny Pædagog", password: "en-god-kode-1", confirm: "en-god-kode-1" };
    const accepted = await settle(() =>
      invitationPage.action(routeArgs(formRequest(`/invitation/${confirm}`, fields), { token: confirm })),
    );
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Location")).toBe("/kurser");
    const cookie = (accepted.headers.get("Set-Cookie") ?? "").split(";")[0]!;
    expect((await getSessionUser(request("/kurser", { cookie })))?.email).toBe("ny.paedagog@demo-kommune.dk");

    const userId = userIdByEmail("ny.paedagog@demo-kommune.dk");
    expect(
      db
        .select()
        .from(seats)
        .where(and(eq(seats.licenceId, licenceId), eq(seats.userId, userId), isNull(seats.revokedAt)))
        .all(),
    ).toHaveLength(1);
    expect(db.select().from(memberships).where(eq(memberships.userId, userId)).get()).toMatchObject({
      organisationId: 1,
      role: "learner",
    });
    const log = db
      .select({ kind: seatEvents.kind, actor: seatEvents.actorUserId })
      .from(seatEvents)
      .where(eq(seatEvents.subjectEmail, "ny.paedagog@demo-kommune.dk"))
      .all();
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
    expect(
      (await settle(() => invitationPage.loader(routeArgs(request(`/invitation/${first}`), { token: first })))).status,
    ).toBe(410);
    expect(
      (await settle(() => invitationPage.loader(routeArgs(request(`/invitation/${second}`), { token: second }))))
        .status,
    ).toBe(200);
  });

  it("mails someone who already holds a seat a sign-in link, using nothing", async () => {
    const token = await newLinkToken();
    const reply = await join(token, { email: demoEmails.learner });
    expect(reply.status).toBe(200);
    expect(reply.body?.sent).toBe(demoEmails.learner);
    expect(lastMailTo(demoEmails.learner)?.text).toContain("/log-ind");
    expect(linkRow(token).uses).toBe(0);
  });

  it("admits no more people than the link allows, however many ask at once", async () => {
    const token = await newLinkToken({ maxUses: 3 });
    const replies = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => join(token, { email: `samtidig${n}@demo-kommune.dk` })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 410, 410]);
    expect(linkRow(token).uses).toBe(3);
    const invited = db
      .select()
      .from(invitations)
      .all()
      .filter((i) => i.email.startsWith("samtidig"));
    expect(invited).toHaveLength(3);
    expect(await listLinks()).toContainEqual(expect.objectContaining({ id: linkRow(token).id, state: "usedUp" }));
  });

  it("tells the person the licence is full, and saves and sends nothing", async () => {
    const licenceId = newLicence(1);
    claimSeat(licenceId, userIdByEmail(demoEmails.leader));
    const token = await newLinkToken({ licenceId, maxUses: 1 });
    const invitationsBefore = db.select().from(invitations).all().length;
    const reply = await join(token, { email: "for-sent@demo-kommune.dk" });
    expect([reply.status, reply.body?.refusal]).toEqual([409, "invite.full"]);
    expect(linkRow(token).uses).toBe(0);
    expect(db.select().from(invitations).all()).toHaveLength(invitationsBefore);
    expect(lastMailTo("for-sent@demo-kommune.dk")).toBeUndefined();
  });

  it("answers a full licence alike for every address, so it does not tell who holds a seat", async () => {
    const licenceId = newLicence(1);
    claimSeat(licenceId, userIdByEmail(demoEmails.learner));
    const token = await newLinkToken({ licenceId, maxUses: 1 });
    const mailBefore = lastMailTo(demoEmails.learner)?.id;
    const holder = await join(token, { email: demoEmails.learner });
    const stranger = await join(token, { email: "ukendt-person@demo-kommune.dk" });
    expect([holder.status, holder.body?.refusal, holder.body?.sent]).toEqual([409, "invite.full", null]);
    expect([stranger.status, stranger.body?.refusal, stranger.body?.sent]).toEqual([409, "invite.full", null]);
    expect(lastMailTo(demoEmails.learner)?.id).toBe(mailBefore);
  });

  it("gives someone signed in the seat at once, once", async () => {
    const licenceId = newLicence(5);
    const token = await newLinkToken({ licenceId });
    const cookie = await sessionCookieFor(demoEmails.learner);
    const page = await openJoin(token, cookie);
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ signedInAs: demoEmails.learner });

    const first = await join(token, {}, cookie);
    expect(first.status).toBe(302);
    expect(first.response.headers.get("Location")).toBe("/kurser");
    const userId = userIdByEmail(demoEmails.learner);
    expect(
      db
        .select()
        .from(seats)
        .where(and(eq(seats.licenceId, licenceId), eq(seats.userId, userId), isNull(seats.revokedAt)))
        .all(),
    ).toHaveLength(1);
    expect(
      db
        .select()
        .from(seatEvents)
        .where(and(eq(seatEvents.licenceId, licenceId), eq(seatEvents.kind, "claimed")))
        .all(),
    ).toHaveLength(1);
    expect((await join(token, {}, cookie)).status).toBe(302);
    expect(linkRow(token).uses).toBe(1);

    const outsider = await join(token, {}, await sessionCookieFor(demoEmails.neighbourLearner));
    expect([outsider.status, outsider.body?.refusal]).toEqual([400, "join.wrongDomain"]);
    expect(linkRow(token).uses).toBe(1);
  });

  it("gives a signed-in person no seat once the link is used up", async () => {
    const licenceId = newLicence(5);
    const token = await newLinkToken({ licenceId, maxUses: 1 });
    expect((await join(token, {}, await sessionCookieFor(demoEmails.healthVisitor))).status).toBe(302);
    const late = await join(token, {}, await sessionCookieFor(demoEmails.leader));
    expect([late.status, late.body?.refusal]).toEqual([410, "join.closed"]);
    expect(
      db
        .select()
        .from(seats)
        .where(and(eq(seats.licenceId, licenceId), isNull(seats.revokedAt)))
        .all(),
    ).toHaveLength(1);
    expect(linkRow(token).uses).toBe(1);
  });
});

describe("how often a join link mails", () => {
  it("sends an address a few mails an hour, and says so alike whether or not the address has an account", async () => {
    const licenceId = newLicence(50);
    // One with an account, one who already holds a seat on the licence, and one nobody knows.
    expect(claimSeat(licenceId, userIdByEmail(demoEmails.leader)).status).toBe("claimed");
    const token = await newLinkToken({ licenceId, maxUses: 50 });
    // The mails go out after the answer; with no SMTP server each is a local insert.
    const mailsSent = () => new Promise((resolve) => setTimeout(resolve, 0));
    const newestMailTo = (email: string) => lastMailTo(email)?.id ?? 0;
    for (const email of [demoEmails.healthVisitor, demoEmails.leader, "helt.ny@demo-kommune.dk"]) {
      const answers = [];
      let newest = newestMailTo(email);
      for (let i = 0; i < 3; i += 1) {
        answers.push((await requestSeatWithJoinLink(token, email, "da", "10.1.1.1")).status);
        await mailsSent();
        expect(newestMailTo(email), `${email}, request ${i + 1}`).toBeGreaterThan(newest);
        newest = newestMailTo(email);
      }
      answers.push((await requestSeatWithJoinLink(token, email, "da", "10.1.1.1")).status);
      await mailsSent();
      expect(answers, email).toEqual(["sent", "sent", "sent", "tooMany"]);
      expect(newestMailTo(email), email).toBe(newest);
    }
    // An address outside the municipality's domains is still told that, not that it asked too often.
    expect((await requestSeatWithJoinLink(token, "privat@gmail.com", "da", "10.1.1.2")).status).toBe("wrongDomain");
  });

  it("lets one client ask for a few hundred seats an hour, not without end", async () => {
    const licenceId = newLicence(300);
    const token = await newLinkToken({ licenceId, maxUses: 300 });
    const answers: string[] = [];
    for (let i = 0; i < 201; i += 1)
      answers.push((await requestSeatWithJoinLink(token, `kollega${i}@demo-kommune.dk`, "da", "10.2.2.2")).status);
    expect(answers.slice(0, 200)).toEqual(Array.from({ length: 200 }, () => "sent"));
    expect(answers[200]).toBe("tooMany");
    expect(lastMailTo("kollega200@demo-kommune.dk")).toBeUndefined();
    // Someone else, on another network, is not held back by it.
    expect((await requestSeatWithJoinLink(token, "kollega200@demo-kommune.dk", "da", "10.3.3.3")).status).toBe("sent");
  });
});
