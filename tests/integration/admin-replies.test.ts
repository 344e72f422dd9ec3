import { and, count, eq, isNull } from "drizzle-orm";
import { invitations, invoices, licences, orders, outboxEmails, seats, users } from "#db/schema";
import { resetAllowance } from "~/auth/rate-limits.server";
import { orderSchema } from "~/billing/forms";
import { placeOrder } from "~/billing/orders.server";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { claimSeat, createLicence } from "~/licensing/licences.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { periodEnd } from "~/licensing/periods";
import * as admin from "~/routes/administration._index/route";
import { addDemoPeople } from "../utils/feedback";
import { pilotOrderFields } from "../utils/fixtures";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { formRequest, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

const ADMIN = demoEmails.admin;

type Reply = {
  formId: string;
  result: { status?: string; error?: Record<string, string[] | null> };
  notice: { key: string; values?: Record<string, unknown> } | null;
  refusalValues?: Record<string, unknown>;
};

const today = danishDate();

function newLicence(seatCount: number, startsOn = today, endsOn = periodEnd(startsOn, 12)) {
  return createLicence(db, { organisationId: 1, planId: null, seatCount, startsOn, endsOn, courseIds: [] });
}

async function post(fields: Record<string, string>, as = ADMIN) {
  const response = await settle(async () =>
    admin.action(routeArgs(formRequest("/administration", fields, await sessionCookieFor(as)))),
  );
  return {
    status: response.status,
    body: response.status < 500 ? ((await response.json()) as Reply & { message?: string }) : null,
  };
}

/** The page as the browser gets it after posting these fields. */
async function pageAfter(fields: Record<string, string>) {
  return (
    await renderRoute(admin, "/administration", formRequest("/administration", fields, await sessionCookieFor(ADMIN)))
  ).html;
}

/** The part of the page that belongs to one licence: from its heading to the next licence or list of people. */
function licenceSection(html: string, licenceId: number) {
  const start = html.indexOf(`id="licence-${licenceId}"`);
  expect(start, `licence ${licenceId} on the page`).toBeGreaterThan(-1);
  const rest = html.slice(start + 1);
  const ends = [rest.indexOf('id="licence-'), rest.indexOf('id="people-')].filter((at) => at > -1);
  return rest.slice(0, Math.min(...ends, rest.length));
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;
const invitationsTo = (email: string) =>
  db.select({ n: count() }).from(invitations).where(eq(invitations.email, email)).get()!.n;
const mailsTo = (email: string) =>
  db.select({ n: count() }).from(outboxEmails).where(eq(outboxEmails.to, email)).get()!.n;
const heldSeat = (email: string, licenceId: number) =>
  db
    .select()
    .from(seats)
    .where(and(eq(seats.licenceId, licenceId), eq(seats.userId, userIdByEmail(email)), isNull(seats.revokedAt)))
    .get();

/** A licence bought with an order; `suspend` makes its invoice 15 days overdue, after which it gives no new seats. */
async function orderedLicence() {
  const form = orderSchema.parse(pilotOrderFields());
  const placed = await placeOrder({ id: userIdByEmail(ADMIN) }, form, new Date(), "manual");
  if (placed.status !== "placed") throw new Error(`Ordren blev ikke afgivet: ${JSON.stringify(placed)}`);
  const licenceId = db.select({ licenceId: orders.licenceId }).from(orders).where(eq(orders.id, placed.orderId)).get()!
    .licenceId;
  const suspend = () =>
    db
      .update(invoices)
      .set({ dueDate: shiftDays(today, -15) })
      .where(eq(invoices.id, placed.invoiceId))
      .run();
  return { licenceId, suspend };
}

async function suspendedLicence() {
  const { licenceId, suspend } = await orderedLicence();
  suspend();
  return licenceId;
}

// First, while the seeded people are as the seed left them.
describe("reminders", () => {
  it("go to one municipality's people who have a seat and have not started, and are confirmed above its list", async () => {
    const before = db.select({ id: outboxEmails.id }).from(outboxEmails).all().length;
    const reminded = await post({ intent: "remind", organisationId: "1" });
    expect(reminded.status).toBe(200);
    expect(reminded.body).toMatchObject({
      formId: "people-1",
      notice: { key: "admin.reminded", values: { count: 4 } },
    });
    const sent = db.select().from(outboxEmails).all().slice(before);
    expect(sent.map((mail) => mail.to).sort()).toEqual([
      demoEmails.admin,
      demoEmails.leader,
      demoEmails.learner,
      demoEmails.healthVisitor,
    ]);
    expect((await post({ intent: "remind", organisationId: "2" })).status).toBe(404);
    expect(db.select().from(outboxEmails).all()).toHaveLength(before + 4);
  });

  it("reach each person once a day however often the button is pressed, and count only those mailed", async () => {
    const mailsSince = (count: number) =>
      db
        .select()
        .from(outboxEmails)
        .all()
        .slice(count)
        .map((mail) => mail.to);
    const seated = [demoEmails.admin, demoEmails.leader, demoEmails.learner, demoEmails.healthVisitor];
    // A day on which no one has been reminded yet, whatever the test above did.
    for (const email of seated) await resetAllowance("reminderMail", email);
    const first = await post({ intent: "remind", organisationId: "1" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ notice: { key: "admin.reminded", values: { count: 4 } } });
    const before = db.select().from(outboxEmails).all().length;

    // A second press within the day mails no one, and says why.
    const again = await post({ intent: "remind", organisationId: "1" });
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({
      formId: "people-1",
      result: { error: { "": ["admin.remindedAllToday"] } },
      notice: null,
    });
    expect(mailsSince(before)).toEqual([]);
    const html = await pageAfter({ intent: "remind", organisationId: "1" });
    expect(html).toContain(escapeHtml("Alle, der ikke er gået i gang, har fået en påmindelse det seneste døgn"));

    // Someone given a seat since is reminded; the others are not, and are not counted as reminded.
    const [newcomer] = addDemoPeople(1);
    const newcomerEmail = db.select({ email: users.email }).from(users).where(eq(users.id, newcomer!)).get()!.email;
    const some = await post({ intent: "remind", organisationId: "1" });
    expect(some.status).toBe(200);
    expect(some.body).toMatchObject({
      formId: "people-1",
      notice: { key: "admin.remindedSomeToday", values: { count: 1, skipped: 4 } },
    });
    expect(mailsSince(before)).toEqual([newcomerEmail]);

    // A day later each of them may be reminded again, once.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 24 * 3600 * 1000 + 60_000 });
    try {
      const nextDay = await post({ intent: "remind", organisationId: "1" });
      expect(nextDay.status).toBe(200);
      expect(nextDay.body).toMatchObject({ notice: { key: "admin.reminded", values: { count: 5 } } });
      expect(mailsSince(before).slice(1).sort()).toEqual([...seated, newcomerEmail].sort());
      expect((await post({ intent: "remind", organisationId: "1" })).status).toBe(429);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("replies on the administration page", () => {
  it("show under the form of the licence that was sent, and under no other", async () => {
    const first = db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).get()!.id;
    const second = newLicence(10);

    const html = await pageAfter({
      intent: "invite",
      licenceId: String(first),
      email: "anden.kollega@demo-kommune.dk",
    });
    const sent = escapeHtml("Invitationen er sendt til anden.kollega@demo-kommune.dk.");
    expect(occurrences(html, sent)).toBe(1);
    expect(licenceSection(html, first)).toContain(sent);
    expect(licenceSection(html, second)).not.toContain(sent);

    // A field error goes beside the field of the one form that was sent.
    const bad = await pageAfter({ intent: "invite", licenceId: String(second), email: "ikke en adresse" });
    const fieldError = "Skriv en gyldig e-mailadresse";
    expect(occurrences(bad, fieldError)).toBe(1);
    expect(licenceSection(bad, second)).toContain(fieldError);
    expect(licenceSection(bad, first)).not.toContain(fieldError);
    expect(invitationsTo("ikke en adresse")).toBe(0);

    const invited = await post({ intent: "invite", licenceId: String(first), email: "Ny.Kollega@demo-kommune.dk" });
    expect(invited.status).toBe(200);
    expect(invited.body).toMatchObject({
      formId: `invite-${first}`,
      notice: { key: "admin.invited", values: { email: "ny.kollega@demo-kommune.dk" } },
    });
  });

  it("tell the admin in place that a full licence takes no one new, and send nothing", async () => {
    const full = newLicence(2);
    for (const email of [demoEmails.neighbourLearner, demoEmails.leader])
      expect(claimSeat(full, userIdByEmail(email)).status).toBe("claimed");
    const other = newLicence(5);

    const refused = await post({ intent: "invite", licenceId: String(full), email: "for.mange@demo-kommune.dk" });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      formId: `invite-${full}`,
      result: { error: { "": ["admin.licenceFull"] } },
      refusalValues: { seats: 2 },
      notice: null,
    });
    expect(invitationsTo("for.mange@demo-kommune.dk")).toBe(0);
    expect(mailsTo("for.mange@demo-kommune.dk")).toBe(0);

    const html = await pageAfter({ intent: "invite", licenceId: String(full), email: "for.mange@demo-kommune.dk" });
    const message = escapeHtml(
      "Licensen er fuld: alle 2 pladser er i brug. Tag en plads tilbage, eller køb flere pladser.",
    );
    expect(licenceSection(html, full)).toContain(message);
    expect(licenceSection(html, other)).not.toContain(message);
    // What was typed stays in the field, so the admin can send it again once a seat is free.
    expect(licenceSection(html, full)).toContain('value="for.mange@demo-kommune.dk"');
    expect(html).not.toContain("Der opstod en fejl");
  });

  it("tell the admin in place that a suspended licence takes no one new, though its form is gone", async () => {
    const suspended = await suspendedLicence();
    const refused = await post({ intent: "invite", licenceId: String(suspended), email: "venter@demo-kommune.dk" });
    expect(refused.status).toBe(409);
    expect(refused.body?.result.error?.[""]).toEqual(["refusal.licenceSuspended"]);
    expect(invitationsTo("venter@demo-kommune.dk")).toBe(0);

    const html = await pageAfter({ intent: "invite", licenceId: String(suspended), email: "venter@demo-kommune.dk" });
    expect(licenceSection(html, suspended)).toContain(
      escapeHtml("Der kan ikke inviteres nye, før den forfaldne faktura er betalt."),
    );
  });

  it("tell the admin in place that an ended licence takes no one new", async () => {
    const ended = newLicence(5, "2020-01-01", shiftDays(today, -1));
    const refused = await post({ intent: "invite", licenceId: String(ended), email: "for.sent@demo-kommune.dk" });
    expect(refused.status).toBe(409);
    expect(refused.body?.result.error?.[""]).toEqual(["admin.licenceEnded"]);
    expect(invitationsTo("for.sent@demo-kommune.dk")).toBe(0);
    const html = await pageAfter({ intent: "invite", licenceId: String(ended), email: "for.sent@demo-kommune.dk" });
    expect(licenceSection(html, ended)).toContain(
      escapeHtml("Licensen er udløbet, så ingen kan tage en plads på den."),
    );
  });

  it("answer a licence of another municipality as if it did not exist", async () => {
    const neighbours = createLicence(db, {
      organisationId: 2,
      planId: null,
      seatCount: 5,
      startsOn: today,
      endsOn: periodEnd(today, 12),
      courseIds: [],
    });
    expect((await post({ intent: "invite", licenceId: String(neighbours), email: "x@demo-kommune.dk" })).status).toBe(
      404,
    );
  });
});

describe("a seat taken back or given on from a page shown before", () => {
  it("says above the licence's holders that the seat was already taken back", async () => {
    const licenceId = newLicence(5);
    const seat = claimSeat(licenceId, userIdByEmail(demoEmails.healthVisitor));
    if (seat.status !== "claimed") throw new Error(seat.status);

    const first = await post({ intent: "revoke", seatId: String(seat.seatId) });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      formId: `seats-${licenceId}`,
      notice: { key: "admin.revoked", values: { email: demoEmails.healthVisitor } },
    });

    const again = await post({ intent: "revoke", seatId: String(seat.seatId) });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      formId: `seats-${licenceId}`,
      result: { error: { "": ["admin.seatAlreadyRevoked"] } },
    });
    const html = await pageAfter({ intent: "revoke", seatId: String(seat.seatId) });
    expect(licenceSection(html, licenceId)).toContain(escapeHtml("Pladsen var allerede taget tilbage"));

    const reassign = await post({ intent: "reassign", seatId: String(seat.seatId), email: "afloeser@demo-kommune.dk" });
    expect(reassign.status).toBe(409);
    expect(reassign.body).toMatchObject({
      formId: `seats-${licenceId}`,
      result: { error: { "": ["admin.seatAlreadyRevoked"] } },
    });
    expect(invitationsTo("afloeser@demo-kommune.dk")).toBe(0);
    // Another municipality's admin is still told the seat does not exist.
    expect((await post({ intent: "revoke", seatId: String(seat.seatId) }, demoEmails.neighbourAdmin)).status).toBe(404);
  });

  it("keeps the seat with its holder when the licence could not give it to anyone else", async () => {
    const { licenceId: suspended, suspend } = await orderedLicence();
    const seat = claimSeat(suspended, userIdByEmail(demoEmails.neighbourLearner));
    if (seat.status !== "claimed") throw new Error(seat.status);
    suspend();
    const refused = await post({ intent: "reassign", seatId: String(seat.seatId), email: "ny.holder@demo-kommune.dk" });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      formId: `seats-${suspended}`,
      result: { error: { "": ["refusal.licenceSuspended"] } },
    });
    expect(heldSeat(demoEmails.neighbourLearner, suspended)).toBeDefined();
    expect(invitationsTo("ny.holder@demo-kommune.dk")).toBe(0);
  });

  it("says on the seat's own row when the new address is not an address", async () => {
    const licenceId = newLicence(5);
    const seat = claimSeat(licenceId, userIdByEmail(demoEmails.leader));
    if (seat.status !== "claimed") throw new Error(seat.status);
    const bad = await post({ intent: "reassign", seatId: String(seat.seatId), email: "ikke en adresse" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      formId: `reassign-${seat.seatId}`,
      result: { error: { email: ["validation.email"] } },
    });
    expect(heldSeat(demoEmails.leader, licenceId)).toBeDefined();

    const done = await post({ intent: "reassign", seatId: String(seat.seatId), email: "Afloeser2@demo-kommune.dk" });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      formId: `seats-${licenceId}`,
      notice: {
        key: "admin.reassigned",
        values: { from: demoEmails.leader, email: "afloeser2@demo-kommune.dk" },
      },
    });
    expect(heldSeat(demoEmails.leader, licenceId)).toBeUndefined();
  });

  it("refuses a form whose hidden ids were tampered with, without a 500", async () => {
    const tampered: Record<string, string>[] = [
      { intent: "revoke", seatId: "abc" },
      { intent: "remind" },
      { intent: "grantRetake", userId: "1" },
    ];
    for (const fields of tampered) {
      const reply = await post(fields);
      expect(reply.status, JSON.stringify(fields)).toBe(400);
      expect(reply.body?.message).toBe("error.unreadableForm");
    }
  });
});

describe("how often an address is mailed an invitation", () => {
  it("sends one address a handful of invitations a day, and tells the admin in place after that", async () => {
    const licenceId = newLicence(10);
    const address = "gentaget@demo-kommune.dk";
    for (let i = 0; i < 5; i += 1)
      expect((await post({ intent: "invite", licenceId: String(licenceId), email: address })).status).toBe(200);
    const refused = await post({ intent: "invite", licenceId: String(licenceId), email: address });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      formId: `invite-${licenceId}`,
      result: { error: { "": ["admin.mailLimit"] } },
      refusalValues: { email: address },
    });
    expect(invitationsTo(address)).toBe(5);
    expect(mailsTo(address)).toBe(5);
    const html = await pageAfter({ intent: "invite", licenceId: String(licenceId), email: address });
    expect(licenceSection(html, licenceId)).toContain(
      escapeHtml(`${address} har fået så mange invitationer det seneste døgn`),
    );

    // Giving a seat to that address is refused too, and the holder keeps the seat.
    const seat = claimSeat(licenceId, userIdByEmail(demoEmails.healthVisitor));
    if (seat.status !== "claimed") throw new Error(seat.status);
    const reassign = await post({ intent: "reassign", seatId: String(seat.seatId), email: address });
    expect(reassign.status).toBe(429);
    expect(reassign.body).toMatchObject({
      formId: `reassign-${seat.seatId}`,
      result: { error: { "": ["admin.mailLimit"] } },
    });
    expect(heldSeat(demoEmails.healthVisitor, licenceId)).toBeDefined();
    expect(mailsTo(address)).toBe(5);

    // Another address is not held back by it.
    expect(
      (await post({ intent: "invite", licenceId: String(licenceId), email: "en.anden@demo-kommune.dk" })).status,
    ).toBe(200);
  });
});
