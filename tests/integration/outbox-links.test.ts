import { and, desc, eq, isNotNull } from "drizzle-orm";
import { licences, outboxEmails } from "#db/schema";
import { requestPasswordReset, resetPassword } from "~/auth/auth.server";
import { hashSecretToken } from "~/auth/secret-tokens.server";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { forgetDeadLinks } from "~/email/mailer.server";
import { acceptInvitation, mailInvitation, recordInvitation } from "~/licensing/invitations.server";
import { createJoinLink, requestSeatWithJoinLink } from "~/licensing/join-links.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import * as outbox from "~/routes/udvikler.udbakke";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

/** The outbox rows that carry a link, newest first. */
const mailsTo = (to: string) =>
  db.select().from(outboxEmails).where(eq(outboxEmails.to, to)).orderBy(desc(outboxEmails.id)).all();
const tokenIn = (text: string, path: "nulstil-adgangskode" | "invitation") =>
  new RegExp(`/${path}/([\\w-]+)`).exec(text)?.[1] ?? null;
const demoLicenceId = () =>
  db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).get()!.id;

async function resetLinkFor(email: string, client = "127.0.0.1") {
  expect(await requestPasswordReset(email, "da", client)).toBe("requested");
  const mail = mailsTo(email)[0]!;
  const token = tokenIn(mail.text, "nulstil-adgangskode");
  if (!token) throw new Error(`no reset link mailed to ${email}`);
  return { mail, token };
}

async function outboxPage() {
  const cookie = await sessionCookieFor(demoEmails.owner);
  const response = await settle(() => outbox.loader(routeArgs(request("/udvikler/udbakke", { cookie }))));
  expect(response.status).toBe(200);
  return ((await response.json()) as { emails: { id: number; text: string }[] }).emails;
}

describe("reset links in the outbox", () => {
  it("are tied to their token, readable on the outbox page while live, and deleted once used", async () => {
    const { mail, token } = await resetLinkFor(demoEmails.leader);
    expect(mail.linkTokenHash).toBe(hashSecretToken(token));
    expect((await outboxPage()).map((email) => email.id)).toContain(mail.id);

    expect(await resetPassword(token, "leders-nye-kode-1")).toBe(true);
    expect(db.select().from(outboxEmails).where(eq(outboxEmails.id, mail.id)).get()).toBeUndefined();
    expect((await outboxPage()).map((email) => email.id)).not.toContain(mail.id);
  });

  it("go together: using the newest link deletes the older ones it spends", async () => {
    const older = await resetLinkFor(demoEmails.admin);
    const newer = await resetLinkFor(demoEmails.admin);
    expect(mailsTo(demoEmails.admin)).toHaveLength(2);
    expect(await resetPassword(newer.token, "admins-nye-kode-1")).toBe(true);
    expect(mailsTo(demoEmails.admin)).toHaveLength(0);
    expect(older.token).not.toBe(newer.token);
  });

  it("are deleted once expired, at the next mail written, and mail without a link is kept", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2030-10-01T08:00:00Z") });
    try {
      const { mail } = await resetLinkFor(demoEmails.healthVisitor);
      const receipt = db
        .insert(outboxEmails)
        .values({ to: "x@demo-kommune.dk", subject: "Kvittering", text: "Ingen link", html: "" })
        .returning()
        .get();
      vi.setSystemTime(new Date("2030-10-01T08:59:00Z"));
      await resetLinkFor(demoEmails.learner);
      expect(db.select().from(outboxEmails).where(eq(outboxEmails.id, mail.id)).get()).toBeDefined();

      vi.setSystemTime(new Date("2030-10-01T09:01:00Z"));
      await resetLinkFor(demoEmails.neighbourLearner);
      expect(db.select().from(outboxEmails).where(eq(outboxEmails.id, mail.id)).get()).toBeUndefined();
      expect(db.select().from(outboxEmails).where(eq(outboxEmails.id, receipt.id)).get()).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("are swept by one statement that any process may run again without harm", async () => {
    const { mail } = await resetLinkFor(demoEmails.owner);
    const inAnHour = new Date(Date.now() + 61 * 60_000);
    forgetDeadLinks(db, new Date());
    expect(db.select().from(outboxEmails).where(eq(outboxEmails.id, mail.id)).get()).toBeDefined();
    forgetDeadLinks(db, inAnHour);
    forgetDeadLinks(db, inAnHour);
    expect(db.select().from(outboxEmails).where(eq(outboxEmails.id, mail.id)).get()).toBeUndefined();
  });
});

describe("invitation links in the outbox", () => {
  it("are deleted when the invitation is accepted", async () => {
    const address = "ny.kollega@demo-kommune.dk";
    const token = db.transaction((tx) => recordInvitation(tx, null, demoLicenceId(), address, new Date()));
    await mailInvitation({ name: "Hanne Berg" }, "Demo Kommune", address, token, "da");
    const [mail] = mailsTo(address);
    expect(mail?.linkTokenHash).toBe(hashSecretToken(token));
    expect(tokenIn(mail!.text, "invitation")).toBe(token);

    const accepted = await acceptInvitation(token, {
      signedInUserId: null,
      newAccount: { name: "Ny Kollega", password: "ny-kollegas-kode-1" },
    });
    expect(accepted.status).toBe("accepted");
    expect(mailsTo(address)).toHaveLength(0);
  });

  it("are kept when the acceptance is refused, since the link still works", async () => {
    const address = demoEmails.neighbourLearner;
    const token = db.transaction((tx) => recordInvitation(tx, null, demoLicenceId(), address, new Date()));
    await mailInvitation({ name: "Hanne Berg" }, "Demo Kommune", address, token, "da");
    const carrying = () =>
      db
        .select()
        .from(outboxEmails)
        .where(eq(outboxEmails.linkTokenHash, hashSecretToken(token)))
        .all();
    expect(carrying()).toHaveLength(1);
    // Has an account but is not signed in: refused, nothing spent.
    expect((await acceptInvitation(token, { signedInUserId: null })).status).toBe("signInFirst");
    expect(carrying()).toHaveLength(1);
    expect((await acceptInvitation(token, { signedInUserId: userIdByEmail(address) })).status).toBe("accepted");
    expect(carrying()).toHaveLength(0);
  });

  it("from a join link are deleted when the request is repeated and the link replaced", async () => {
    const created = createJoinLink(
      { id: userIdByEmail(demoEmails.admin) },
      { licenceId: demoLicenceId(), expiresOn: shiftDays(danishDate(), 30), maxUses: 5 },
    );
    if (created.status !== "created") throw new Error(`no join link: ${created.status}`);
    const joinToken = created.url.split("/deltag/")[1]!;
    const address = "glemsom.kollega@demo-kommune.dk";
    expect((await requestSeatWithJoinLink(joinToken, address, "da", "127.0.0.1")).status).toBe("sent");
    const first = mailsTo(address);
    expect(first).toHaveLength(1);
    expect((await requestSeatWithJoinLink(joinToken, address, "da", "127.0.0.1")).status).toBe("sent");
    const second = mailsTo(address);
    expect(second).toHaveLength(1);
    expect(second[0]!.id).not.toBe(first[0]!.id);
    expect(
      db
        .select()
        .from(outboxEmails)
        .where(and(eq(outboxEmails.to, address), isNotNull(outboxEmails.linkTokenHash)))
        .all(),
    ).toHaveLength(1);
  });
});
