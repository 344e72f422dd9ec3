import { count, eq, inArray } from "drizzle-orm";
import { invitations, invoices, licences, orders, outboxEmails, seatEvents } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { orderSchema } from "~/billing/forms";
import { placeOrder } from "~/billing/orders.server";
import { inviteToLicence } from "~/licensing/invitations.server";
import { createLicence } from "~/licensing/licences.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { periodEnd } from "~/licensing/periods";
import * as importPage from "~/routes/administration.import";
import { pilotOrderFields } from "../utils/fixtures";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

type Problem = { key: string; values?: Record<string, string | number> };
type Row = { row: number; email: string; name: string };
type Report = {
  acceptedCount: number;
  refusedCount: number;
  accepted: Row[];
  refused: (Row & { reason: Problem })[];
  ignoredColumns: string[];
};
type FormReply = {
  formId: string;
  result: { error?: Record<string, string[] | null> };
  notice: { key: string; values?: Record<string, number> } | null;
  refusalValues?: Record<string, string | number>;
  imported: number | null;
  report: Report | null;
};
/** The reply as the admin reads it: the problem above the form or beside the file, and the report. */
type Reply = { problem: Problem | null; imported: number | null; report: Report | null; notice: FormReply["notice"] };

async function readReply(response: Response): Promise<Reply> {
  const reply = (await response.json()) as FormReply | { message: string };
  // Someone who is not the municipality's admin never gets the page, so gets no reply to its form.
  if ("message" in reply) return { problem: { key: reply.message }, imported: null, report: null, notice: null };
  expect(reply.formId).toBe("import");
  const key = reply.result.error?.[""]?.[0] ?? reply.result.error?.file?.[0];
  return {
    problem: key ? { key, values: reply.refusalValues } : null,
    imported: reply.imported,
    report: reply.report,
    notice: reply.notice,
  };
}

const ADMIN = demoEmails.admin;

function demoLicenceId() {
  return db.select({ id: licences.id }).from(licences).where(eq(licences.organisationId, 1)).get()!.id;
}

function newLicence(seatCount: number, startsOn = danishDate()) {
  return createLicence(db, {
    organisationId: 1,
    planId: null,
    seatCount,
    startsOn,
    endsOn: periodEnd(startsOn, 12),
    courseIds: [],
  });
}

async function upload(
  content: string | Uint8Array<ArrayBuffer>,
  options: { licenceId?: number; skipRefused?: boolean; as?: string } = {},
): Promise<{ status: number; body: Reply }> {
  const cookie = await sessionCookieFor(options.as ?? ADMIN);
  const form = new FormData();
  form.set("licenceId", String(options.licenceId ?? demoLicenceId()));
  if (options.skipRefused) form.set("skipRefused", "on");
  form.set("file", new File([content], "medarbejdere.csv", { type: "text/csv" }));
  const response = await settle(() =>
    importPage.action(routeArgs(request("/administration/import", { method: "POST", body: form, cookie }))),
  );
  return { status: response.status, body: await readReply(response) };
}

/** What an import may have saved: compared before and after one that must save nothing. */
function savedState() {
  return {
    invitations: db.select({ n: count() }).from(invitations).get()!.n,
    events: db.select({ n: count() }).from(seatEvents).get()!.n,
    mails: db.select({ n: count() }).from(outboxEmails).get()!.n,
  };
}

// Invitation mails go out one by one after the response; with no SMTP server each is a local insert.
const mailsSent = () => new Promise((resolve) => setTimeout(resolve, 0));

function mailedTo(addresses: string[]) {
  return db
    .select({ to: outboxEmails.to, text: outboxEmails.text })
    .from(outboxEmails)
    .where(inArray(outboxEmails.to, addresses))
    .all();
}

/** Windows-1252 as Excel's "CSV (semikolonsepareret)" writes it: latin-1, plus 0x92 for the curly apostrophe. */
function windows1252(text: string) {
  return new Uint8Array(Buffer.from(text.replace(/’/g, "\x92"), "latin1"));
}

describe("who may import", () => {
  it("is the licence's own municipality's admin", async () => {
    for (const email of [demoEmails.learner, demoEmails.leader]) {
      const cookie = await sessionCookieFor(email);
      expect(
        (await settle(() => importPage.loader(routeArgs(request("/administration/import", { cookie }))))).status,
      ).toBe(403);
      expect((await upload("e-mail\nx@demo-kommune.dk\n", { as: email })).status).toBe(403);
    }
    expect((await settle(() => importPage.loader(routeArgs(request("/administration/import"))))).status).toBe(302);

    const neighbour = await sessionCookieFor(demoEmails.neighbourAdmin);
    const page = await settle(() =>
      importPage.loader(routeArgs(request("/administration/import", { cookie: neighbour }))),
    );
    expect(page.status).toBe(200);
    expect(await page.json()).toEqual({ licences: [] });

    const before = savedState();
    const foreign = await upload("e-mail\nx@demo-kommune.dk\n", { as: demoEmails.neighbourAdmin });
    expect(foreign.status).toBe(404);
    expect(foreign.body.problem?.key).toBe("import.licenceNotFound");
    expect((await upload("e-mail\nx@demo-kommune.dk\n", { licenceId: 999_999 })).status).toBe(404);
    expect(savedState()).toEqual(before);

    const cookie = await sessionCookieFor(ADMIN);
    const own = await settle(() => importPage.loader(routeArgs(request("/administration/import", { cookie }))));
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ licences: [{ id: demoLicenceId(), freeSeats: 96 }] });
  });
});

describe("reading the file", () => {
  it("invites everyone in a UTF-8 file with commas, in one go", async () => {
    const before = savedState();
    const reply = await upload(
      "email,name\nanne.jensen@demo-kommune.dk,Anne Jensen\nAli.Hassan@Demo-Kommune.dk,Ali Hassan\n",
    );
    expect(reply.status).toBe(200);
    expect(reply.body.imported).toBe(2);
    expect(reply.body.notice).toEqual({ key: "import.done", values: { count: 2 } });
    expect(reply.body.report?.accepted).toEqual([
      { row: 2, email: "anne.jensen@demo-kommune.dk", name: "Anne Jensen" },
      { row: 3, email: "ali.hassan@demo-kommune.dk", name: "Ali Hassan" },
    ]);
    const events = db
      .select()
      .from(seatEvents)
      .where(inArray(seatEvents.subjectEmail, ["anne.jensen@demo-kommune.dk", "ali.hassan@demo-kommune.dk"]))
      .all();
    expect(events.map((e) => [e.kind, e.actorUserId])).toEqual([
      ["invited", userIdByEmail(ADMIN)],
      ["invited", userIdByEmail(ADMIN)],
    ]);
    await mailsSent();
    expect(savedState()).toEqual({
      invitations: before.invitations + 2,
      events: before.events + 2,
      mails: before.mails + 2,
    });
    expect(mailedTo(["ali.hassan@demo-kommune.dk"])[0]?.text).toMatch(/\/invitation\/[\w-]+/);
  });

  it("reads Excel's semicolon CSV in Windows-1252 with æ, ø and å", async () => {
    const file = windows1252(
      "E-mail;Navn;Afdeling\r\nsoeren@demo-kommune.dk;Søren Ærø Åberg;Skolen\r\ndangelo@demo-kommune.dk;Luca D’Angelo;Sundhedsplejen\r\n;;\r\n",
    );
    const reply = await upload(file);
    expect(reply.status).toBe(200);
    expect(reply.body.report?.accepted.map((r) => r.name)).toEqual(["Søren Ærø Åberg", "Luca D’Angelo"]);
    expect(reply.body.report?.ignoredColumns).toEqual(["Afdeling"]);
  });

  it("reads UTF-8 with a byte order mark, and a comma inside a semicolon file's name", async () => {
    const reply = await upload("\uFEFFE-mailadresse;Navn\r\nbom@demo-kommune.dk;Jensen, Bodil\r\n");
    expect(reply.status).toBe(200);
    expect(reply.body.report?.accepted).toEqual([{ row: 2, email: "bom@demo-kommune.dk", name: "Jensen, Bodil" }]);
  });

  it("refuses files it cannot use, in Danish, and saves nothing", async () => {
    const before = savedState();
    const cases: [string | Uint8Array<ArrayBuffer>, string][] = [
      ["", "import.empty"],
      ["\r\n\r\n", "import.empty"],
      ["e-mail;navn\r\n", "import.headerOnly"],
      ["navn;telefon\r\nAnne;12345678\r\n", "import.noEmailColumn"],
      [new Uint8Array(Buffer.from("\uFEFFe-mail;navn\r\nutf16@demo-kommune.dk;X\r\n", "utf16le")), "import.notText"],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]), "import.notText"],
      ['e-mail;navn\r\n"aaben@demo-kommune.dk;Åben\r\n', "import.malformed"],
    ];
    for (const [content, key] of cases) {
      const reply = await upload(content);
      expect([reply.status, reply.body.problem?.key]).toEqual([400, key]);
    }
    const noColumn = await upload("navn;telefon\r\nAnne;12345678\r\n");
    expect(noColumn.body.problem?.values).toEqual({ columns: "navn, telefon" });
    await mailsSent();
    expect(savedState()).toEqual(before);
  });

  it("refuses an upload without a file, one over 2 MB, and a body that is not a form", async () => {
    const cookie = await sessionCookieFor(ADMIN);
    const post = (init: RequestInit) =>
      settle(() =>
        importPage.action(routeArgs(request("/administration/import", { method: "POST", cookie, ...init }))),
      );

    const noFile = new FormData();
    noFile.set("licenceId", String(demoLicenceId()));
    noFile.set("file", new File([], ""));
    const missing = await post({ body: noFile });
    expect(missing.status).toBe(400);
    expect((await readReply(missing)).problem?.key).toBe("import.noFile");

    const big = await upload(`e-mail;navn\r\n${"x".repeat(2 * 1024 * 1024)}`);
    expect([big.status, big.body.problem?.key]).toEqual([413, "import.tooLarge"]);
    // A body announced as larger than the limit is refused before it is read.
    const announced = await post({
      body: "x",
      headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(50 * 1024 * 1024) },
    });
    expect(announced.status).toBe(413);
    // Said beside the file field, the one thing the admin can change.
    expect(((await announced.json()) as FormReply).result.error?.file).toEqual(["import.tooLarge"]);

    const notForm = await post({ body: "e-mail\nx@demo-kommune.dk", headers: { "Content-Type": "text/csv" } });
    expect(notForm.status).toBe(400);
    expect((await readReply(notForm)).problem?.key).toBe("import.notForm");
  });
});

describe("checking the rows", () => {
  const file = [
    "e-mail;navn",
    "ny.kollega@demo-kommune.dk;Ny Kollega",
    "ikke en adresse;Bo",
    ";Carl uden adresse",
    "NY.KOLLEGA@demo-kommune.dk;Ny Kollega igen",
    "medarbejder@demo-kommune.dk;Sofie Nørgaard",
    "ventende@demo-kommune.dk;Vera Venter",
  ].join("\r\n");

  it("reports each refused row with its number and reason, and invites no one until told to skip them", async () => {
    expect(
      await inviteToLicence(
        { id: userIdByEmail(ADMIN), name: "Hanne Berg" },
        demoLicenceId(),
        "ventende@demo-kommune.dk",
        "da",
      ),
    ).toMatchObject({ status: "invited" });
    const before = savedState();

    const report = await upload(file);
    expect(report.status).toBe(400);
    expect(report.body.problem).toEqual({ key: "import.hasRefused", values: { refused: 5 } });
    expect(report.body.report?.refused.map((r) => [r.row, r.reason.key, r.reason.values])).toEqual([
      [3, "import.reason.email", undefined],
      [4, "import.reason.emailMissing", undefined],
      [5, "import.reason.duplicate", { row: 2 }],
      [6, "import.reason.holdsSeat", undefined],
      [7, "import.reason.invited", undefined],
    ]);
    expect(report.body.report?.accepted.map((r) => r.email)).toEqual(["ny.kollega@demo-kommune.dk"]);
    await mailsSent();
    expect(savedState()).toEqual(before);

    const confirmed = await upload(file, { skipRefused: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.imported).toBe(1);
    expect(confirmed.body.report?.refusedCount).toBe(5);
    await mailsSent();
    expect(savedState()).toEqual({
      invitations: before.invitations + 1,
      events: before.events + 1,
      mails: before.mails + 1,
    });

    // The same file again: the one invited is now pending, so nothing is left to invite.
    const again = await upload(file, { skipRefused: true });
    expect([again.status, again.body.problem?.key]).toEqual([400, "import.nothingValid"]);
  });

  it("refuses the whole file when it has more valid rows than free seats", async () => {
    const small = newLicence(3);
    const before = savedState();
    const rows = ["e-mail", ...[1, 2, 3, 4].map((n) => `plads${n}@demo-kommune.dk`)].join("\n");
    const reply = await upload(rows, { licenceId: small, skipRefused: true });
    expect(reply.status).toBe(400);
    expect(reply.body.problem).toEqual({ key: "import.tooFewSeats", values: { count: 4, free: 3 } });
    await mailsSent();
    expect(savedState()).toEqual(before);
    expect((await upload(rows.split("\n").slice(0, 4).join("\n"), { licenceId: small })).status).toBe(200);
  });

  it("tells the admin on the import page that a suspended licence takes no one new, and what to do", async () => {
    const form = orderSchema.parse(pilotOrderFields());
    const placed = await placeOrder({ id: userIdByEmail(ADMIN) }, form, new Date(), "manual");
    if (placed.status !== "placed") throw new Error(placed.status);
    db.update(invoices)
      .set({ dueDate: shiftDays(danishDate(), -15) })
      .where(eq(invoices.id, placed.invoiceId))
      .run();
    const licenceId = db.select({ id: orders.licenceId }).from(orders).where(eq(orders.id, placed.orderId)).get()!.id;

    const before = savedState();
    const reply = await upload("e-mail\nventer@demo-kommune.dk\n", { licenceId });
    expect([reply.status, reply.body.problem?.key]).toEqual([400, "refusal.licenceSuspended"]);
    await mailsSent();
    expect(savedState()).toEqual(before);

    const body = new FormData();
    body.set("licenceId", String(licenceId));
    body.set("file", new File(["e-mail\nventer@demo-kommune.dk\n"], "medarbejdere.csv", { type: "text/csv" }));
    const cookie = await sessionCookieFor(ADMIN);
    const { html } = await renderRoute(
      importPage,
      "/administration/import",
      request("/administration/import", { method: "POST", body, cookie }),
    );
    expect(html).toContain(escapeHtml("Der kan ikke inviteres nye, før den forfaldne faktura er betalt."));
  });

  it("refuses a licence that has ended", async () => {
    const ended = createLicence(db, {
      organisationId: 1,
      planId: null,
      seatCount: 5,
      startsOn: "2020-01-01",
      endsOn: shiftDays(danishDate(), -1),
      courseIds: [],
    });
    const reply = await upload("e-mail\nsent@demo-kommune.dk\n", { licenceId: ended });
    expect([reply.status, reply.body.problem?.key]).toEqual([400, "import.licenceEnded"]);
  });
});

describe("the row limit", () => {
  const rows = (n: number) =>
    ["e-mail;navn", ...Array.from({ length: n }, (_, i) => `person${i}@demo-kommune.dk;Person ${i}`)].join("\r\n");

  it("invites 10,000 people in one transaction, and sends each a mail afterwards", async () => {
    const big = newLicence(10_000);
    const started = performance.now();
    const reply = await upload(rows(10_000), { licenceId: big });
    const elapsed = performance.now() - started;
    expect(reply.status).toBe(200);
    expect(reply.body.imported).toBe(10_000);
    // The report carries the counts; the page shows only the first rows.
    expect(reply.body.report?.accepted).toHaveLength(1000);
    expect(db.select({ n: count() }).from(invitations).where(eq(invitations.licenceId, big)).get()!.n).toBe(10_000);
    expect(db.select({ n: count() }).from(seatEvents).where(eq(seatEvents.licenceId, big)).get()!.n).toBe(10_000);
    expect(elapsed).toBeLessThan(10_000);
    await mailsSent();
    expect(
      db
        .select({ n: count() })
        .from(outboxEmails)
        .where(inArray(outboxEmails.to, ["person0@demo-kommune.dk", "person9999@demo-kommune.dk"]))
        .get()!.n,
    ).toBe(2);
  });

  it("refuses 10,001 rows as a whole", async () => {
    const big = newLicence(10_000);
    const before = savedState();
    const reply = await upload(rows(10_001), { licenceId: big });
    expect(reply.status).toBe(400);
    expect(reply.body.problem).toEqual({ key: "import.tooManyRows", values: { count: 10_001, max: 10_000 } });
    expect(savedState()).toEqual(before);
  });
});
