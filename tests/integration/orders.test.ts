import { count, desc, eq } from "drizzle-orm";
import {
  discounts,
  invoiceLines,
  invoices,
  licenceCourses,
  licenceNotices,
  licences,
  orders,
  outboxEmails,
  seats,
} from "#db/schema";
import { runBillingJobs } from "~/billing/jobs.server";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { claimSeat, createLicence, isLicenceSuspended } from "~/licensing/licences.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import { periodEnd } from "~/licensing/periods";
import * as admin from "~/routes/administration._index/route";
import * as order from "~/routes/administration.bestil";
import * as placed from "~/routes/administration.ordrer.$orderId";
import * as quote from "~/routes/administration.tilbud[.]pdf";
import * as owner from "~/routes/ejer.fakturaer";
import * as pdfRoute from "~/routes/fakturaer.$invoiceId.pdf";
import * as xmlRoute from "~/routes/fakturaer.$invoiceId.xml";
import { pilotOrderFields as pilotOrder } from "../utils/fixtures";
import { pdfText } from "../utils/pdf-text";
import { formRequest, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { findAll, parseXml, textAt } from "../utils/xml";

const today = danishDate();

const adminCookie = () => sessionCookieFor(demoEmails.admin);

async function submitOrder(fields: Record<string, string>, cookie?: string) {
  return settle(async () =>
    order.action(routeArgs(formRequest("/administration/bestil", fields, cookie ?? (await adminCookie())))),
  );
}

async function placePilotOrder(overrides: Record<string, string> = {}) {
  const response = await submitOrder(pilotOrder(overrides));
  expect(response.status).toBe(302);
  const orderId = Number(response.headers.get("Location")?.split("/").pop());
  const invoice = db.select().from(invoices).where(eq(invoices.orderId, orderId)).get()!;
  return { orderId, invoice };
}

const orderCount = () => db.select({ n: count() }).from(orders).get()?.n ?? 0;
const licenceCount = () => db.select({ n: count() }).from(licences).get()?.n ?? 0;

describe("ordering a licence on the manual provider", () => {
  it("shows a summary with VAT before anything is ordered", async () => {
    const before = orderCount();
    const response = await submitOrder(pilotOrder({ intent: "review", requestKey: "" }));
    expect(response.status).toBe(200);
    const { summary } = (await response.json()) as {
      summary: { listNetOre: number; netOre: number; vatOre: number; grossOre: number; endsOn: string };
    };
    expect(summary).toMatchObject({
      listNetOre: 23_990_000,
      netOre: 5_997_500,
      vatOre: 1_499_375,
      grossOre: 7_496_875,
      endsOn: periodEnd(today, 12),
    });
    expect(orderCount()).toBe(before);
  });

  it("places the pilot order: licence, order and a numbered invoice mailed to the municipality", async () => {
    const before = db.select({ id: outboxEmails.id }).from(outboxEmails).all().length;
    const { orderId, invoice } = await placePilotOrder();
    const saved = db.select().from(orders).where(eq(orders.id, orderId)).get()!;
    expect(saved).toMatchObject({
      kind: "new",
      seatCount: 100,
      netOre: 5_997_500,
      vatOre: 1_499_375,
      grossOre: 7_496_875,
      ean: "5798000123458",
      orderReference: "PO-4711",
    });
    const licence = db.select().from(licences).where(eq(licences.id, saved.licenceId)).get()!;
    expect(licence).toMatchObject({ seatCount: 100, startsOn: today, endsOn: periodEnd(today, 12) });
    expect(db.select().from(licenceCourses).where(eq(licenceCourses.licenceId, licence.id)).all()).toHaveLength(4);
    expect(invoice).toMatchObject({
      provider: "manual",
      sequence: 1,
      number: "1",
      status: "sent",
      issueDate: today,
      dueDate: shiftDays(today, 30),
      grossOre: 7_496_875,
    });
    const mails = db.select().from(outboxEmails).all().slice(before);
    expect(mails.map((m) => m.to)).toEqual(["faktura@demo-kommune.dk"]);
    expect(mails[0]?.text).toContain("74.968,75");

    // Seats can be handed out at once: public bodies pay afterwards.
    expect(claimSeat(licence.id, userIdByEmail(demoEmails.neighbourAdmin)).status).toBe("claimed");

    const page = await settle(async () =>
      placed.loader(
        routeArgs(request(`/administration/ordrer/${orderId}`, { cookie: await adminCookie() }), {
          orderId: String(orderId),
        }),
      ),
    );
    expect(page.status).toBe(200);
    expect(((await page.json()) as { invoice: { number: string } }).invoice.number).toBe("1");
  });

  it("places one order however often the same form is sent", async () => {
    const before = orderCount();
    const fields = pilotOrder();
    const first = await submitOrder(fields);
    const second = await submitOrder(fields);
    expect(second.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(orderCount()).toBe(before + 1);
  });

  it("takes a resent form to the order already placed, even when its discount has since run out", async () => {
    db.insert(discounts).values({ label: "Engangsrabat", code: "ENGANG", percentBasisPoints: 1000, maxUses: 1 }).run();
    const fields = pilotOrder({ discountCode: "ENGANG" });
    const first = await submitOrder(fields);
    expect(first.status).toBe(302);
    const again = await submitOrder(fields);
    expect(again.status).toBe(302);
    expect(again.headers.get("Location")).toBe(first.headers.get("Location"));
    // A new order cannot use the code again.
    expect((await submitOrder(pilotOrder({ discountCode: "ENGANG" }))).status).toBe(400);
  });

  it("says on the invoice line what the discount takes off the list price", async () => {
    const { invoice } = await placePilotOrder();
    const line = db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice.id)).get()!;
    expect(line.description.replace(/\s/g, " ")).toContain(
      "Pilotaftale: 75 % rabat: 75 % rabat på listeprisen 2.399,00 kr. pr. plads",
    );
    expect(line).toMatchObject({ quantity: 100, unitPriceOre: 59_975, lineNetOre: 5_997_500 });
  });

  it("numbers invoices in one unbroken series", async () => {
    const numbers: number[] = [];
    for (let i = 0; i < 3; i += 1)
      numbers.push(Number((await placePilotOrder({ orderReference: `PO-${i}` })).invoice.number));
    // A refused order takes no number.
    expect((await submitOrder(pilotOrder({ cvr: "12345678" }))).status).toBe(400);
    numbers.push(Number((await placePilotOrder({ orderReference: "PO-last" })).invoice.number));
    const first = numbers[0] ?? 0;
    expect(numbers).toEqual([first, first + 1, first + 2, first + 3]);
    const all = db
      .select({ sequence: invoices.sequence })
      .from(invoices)
      .all()
      .map((row) => row.sequence);
    expect(all).toEqual(all.map((_, index) => index + 1));
  });

  it("writes an OIOUBL file with the EAN, the supplier's CVR, the references and the invoice's totals", async () => {
    const { invoice } = await placePilotOrder();
    const response = await settle(async () =>
      xmlRoute.loader(
        routeArgs(request(`/fakturaer/${invoice.id}/xml`, { cookie: await adminCookie() }), {
          invoiceId: String(invoice.id),
        }),
      ),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/xml");
    const xml = parseXml(await response.text());
    const buyer = findAll(xml, "cac:AccountingCustomerParty/cac:Party")[0]!;
    const endpoint = findAll(buyer, "cbc:EndpointID")[0]!;
    expect(endpoint.text).toBe("5798000123458");
    expect(endpoint.attributes.schemeID).toBe("GLN");
    expect(textAt(xml, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID")).toBe("DK55133018");
    expect(textAt(xml, "cac:OrderReference/cbc:ID")).toBe("PO-4711");
    expect(textAt(buyer, "cac:Contact/cbc:ID")).toBe("Hanne Berg");
    expect(textAt(xml, "cbc:ID")).toBe(invoice.number);
    expect(textAt(xml, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount")).toBe("59975.00");
    expect(textAt(xml, "cac:TaxTotal/cbc:TaxAmount")).toBe("14993.75");
    expect(textAt(xml, "cac:LegalMonetaryTotal/cbc:PayableAmount")).toBe("74968.75");
    expect(Number(textAt(xml, "cac:LegalMonetaryTotal/cbc:PayableAmount")) * 100).toBe(invoice.grossOre);
  });

  it("renders the invoice PDF with the same totals", async () => {
    const { invoice } = await placePilotOrder();
    const response = await settle(async () =>
      pdfRoute.loader(
        routeArgs(request(`/fakturaer/${invoice.id}/pdf`, { cookie: await adminCookie() }), {
          invoiceId: String(invoice.id),
        }),
      ),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    const text = (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, " ");
    for (const amount of ["59.975,00 kr.", "14.993,75 kr.", "74.968,75 kr.", "5798000123458", "PO-4711", "Hanne Berg"])
      expect(text).toContain(amount);
    expect(text).not.toContain("Betalt");
  });

  it("gives a quote as PDF without saving anything", async () => {
    const before = orderCount();
    const cookie = await adminCookie();
    const response = await settle(() =>
      quote.action(
        routeArgs(formRequest("/administration/tilbud.pdf", pilotOrder({ intent: "quote", acceptTerms: "" }), cookie)),
      ),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toContain("tilbud-");
    const text = (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, " ");
    expect(text).toContain("Tilbud");
    expect(text).toContain("74.968,75 kr.");
    expect(orderCount()).toBe(before);
    const nabo = await sessionCookieFor(demoEmails.neighbourAdmin);
    expect(
      (
        await settle(() =>
          quote.action(routeArgs(formRequest("/administration/tilbud.pdf", pilotOrder({ intent: "quote" }), nabo))),
        )
      ).status,
    ).toBe(404);
  });

  it("answers bad input in Danish with a 400 and saves nothing", async () => {
    const licencesBefore = licenceCount();
    const ordersBefore = orderCount();
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ cvr: "29181005" }, "cvr", /CVR-nummeret er ikke gyldigt/],
      [{ ean: "5798000123457" }, "ean", /EAN-nummeret er ikke gyldigt/],
      [{ ean: "5798000543218" }, "ean", /registreret hos en anden myndighed/],
      [{ cvr: "37461008" }, "cvr", /tilhører en anden myndighed/],
      [{ postalCode: "71000" }, "postalCode", /postnummer er 4 cifre/],
      [{ startsOn: shiftDays(today, -1) }, "startsOn", /mellem i dag og et år frem/],
      [{ startsOn: "2027-02-30" }, "startsOn", /åååå-mm-dd/],
      [{ discountCode: "GRATIS" }, "discountCode", /Rabatkoden findes ikke/],
      [{ planSlug: "findes-ikke" }, "planSlug", /Vælg en licens/],
      [{ invoiceEmail: "faktura@" }, "invoiceEmail", /gyldig e-mailadresse/],
      [{ orderReference: "x".repeat(41) }, "orderReference", /Højst 40 tegn/],
      // The terms box sits on the summary: said above the order form.
      [{ acceptTerms: "" }, "", /acceptere handelsbetingelserne/],
    ];
    const { da } = await import("~/i18n/da");
    for (const [overrides, field, message] of cases) {
      const response = await submitOrder(pilotOrder(overrides));
      expect(response.status, JSON.stringify(overrides)).toBe(400);
      const body = (await response.json()) as { result: { error: Record<string, string[]> } };
      const keys = body.result.error[field] ?? [];
      expect(keys.map((key) => da[key as keyof typeof da]).join(" "), field).toMatch(message);
    }
    expect(orderCount()).toBe(ordersBefore);
    expect(licenceCount()).toBe(licencesBefore);
  });

  it("lets only the municipality's admins and the owner see its orders and invoices", async () => {
    const { orderId, invoice } = await placePilotOrder();
    const params = { invoiceId: String(invoice.id) };
    for (const email of [demoEmails.neighbourAdmin, demoEmails.learner, demoEmails.leader]) {
      const cookie = await sessionCookieFor(email);
      expect(
        (await settle(() => xmlRoute.loader(routeArgs(request(`/fakturaer/${invoice.id}/xml`, { cookie }), params))))
          .status,
        email,
      ).toBe(404);
      expect(
        (await settle(() => pdfRoute.loader(routeArgs(request(`/fakturaer/${invoice.id}/pdf`, { cookie }), params))))
          .status,
        email,
      ).toBe(404);
    }
    const nabo = await sessionCookieFor(demoEmails.neighbourAdmin);
    expect(
      (
        await settle(() =>
          placed.loader(
            routeArgs(request(`/administration/ordrer/${orderId}`, { cookie: nabo }), { orderId: String(orderId) }),
          ),
        )
      ).status,
    ).toBe(404);
    // An admin of another municipality cannot order on this one's behalf.
    expect((await submitOrder(pilotOrder(), nabo)).status).toBe(404);
    expect(
      (await settle(() => xmlRoute.loader(routeArgs(request(`/fakturaer/${invoice.id}/xml`), params)))).status,
    ).toBe(302);
    const ownerCookie = await sessionCookieFor(demoEmails.owner);
    expect(
      (
        await settle(() =>
          xmlRoute.loader(routeArgs(request(`/fakturaer/${invoice.id}/xml`, { cookie: ownerCookie }), params)),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await settle(() =>
          pdfRoute.loader(routeArgs(request("/fakturaer/abc/pdf", { cookie: ownerCookie }), { invoiceId: "abc" })),
        )
      ).status,
    ).toBe(404);
  });

  it("lets the owner mark an invoice paid, once, and the admin then sees it paid", async () => {
    const { invoice } = await placePilotOrder();
    const ownerCookie = await sessionCookieFor(demoEmails.owner);
    const learner = await sessionCookieFor(demoEmails.learner);
    expect(
      (
        await settle(() =>
          owner.action(
            routeArgs(formRequest("/ejer/fakturaer", { intent: "markPaid", invoiceId: String(invoice.id) }, learner)),
          ),
        )
      ).status,
    ).toBe(404);
    expect(
      (await settle(async () => owner.loader(routeArgs(request("/ejer/fakturaer", { cookie: await adminCookie() })))))
        .status,
    ).toBe(404);

    const before = db.select({ id: outboxEmails.id }).from(outboxEmails).all().length;
    for (let i = 0; i < 2; i += 1) {
      const response = await settle(() =>
        owner.action(
          routeArgs(formRequest("/ejer/fakturaer", { intent: "markPaid", invoiceId: String(invoice.id) }, ownerCookie)),
        ),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        formId: `invoice-${invoice.id}`,
        notice: { key: "billing.markedPaid", values: { number: invoice.number } },
      });
    }
    expect(db.select().from(invoices).where(eq(invoices.id, invoice.id)).get()?.status).toBe("paid");
    const paidMails = db.select().from(outboxEmails).all().slice(before);
    expect(paidMails.map((m) => m.to)).toEqual([demoEmails.admin]);

    const overview = await settle(async () =>
      admin.loader(routeArgs(request("/administration", { cookie: await adminCookie() }))),
    );
    expect(overview.status).toBe(200);
    const body = (await overview.json()) as {
      licences: { paymentState: string; invoices: { id: number; status: string }[] }[];
    };
    const licence = body.licences.find((l) => l.invoices.some((i) => i.id === invoice.id));
    expect(licence?.paymentState).toBe("paid");
    expect(licence?.invoices[0]?.status).toBe("paid");

    const response = await settle(() =>
      pdfRoute.loader(
        routeArgs(request(`/fakturaer/${invoice.id}/pdf`, { cookie: ownerCookie }), { invoiceId: String(invoice.id) }),
      ),
    );
    expect(response.status).toBe(200);
    expect((await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, " ")).toContain("Betalt");
  });
});

describe("extra seats and renewal", () => {
  it("prices extra seats for the months left of the licence, at the licence's discount", async () => {
    const { orderId } = await placePilotOrder();
    const licenceId = db.select().from(orders).where(eq(orders.id, orderId)).get()!.licenceId;
    // Six months into the year: the 10 extra seats pay for the 6 months left.
    const later = new Date(`${shiftDays(periodEnd(today, 6), 1)}T10:00:00Z`);
    const { placeOrder } = await import("~/billing/orders.server");
    const form = {
      ...pilotOrder({ kind: "extraSeats", licenceId: String(licenceId), seats: "10" }),
      intent: "place",
      organisationId: 1,
      licenceId,
    } as never;
    const result = await placeOrder({ id: userIdByEmail(demoEmails.admin) }, form, later);
    expect(result.status).toBe("placed");
    const extra = db.select().from(orders).orderBy(desc(orders.id)).get()!;
    // 599,75 kr. a seat a year at the pilot discount: half of it for half a year.
    expect(extra).toMatchObject({
      kind: "extraSeats",
      seatCount: 10,
      months: 6,
      netOre: 10 * 29_988,
      licenceId,
      endsOn: periodEnd(today, 12),
    });
    expect(db.select().from(licences).where(eq(licences.id, licenceId)).get()?.seatCount).toBe(110);
  });

  it("starts a renewal the day after the licence ends, prefilled from the last order", async () => {
    await placePilotOrder();
    const licence = db.select().from(licences).orderBy(desc(licences.id)).get()!;
    const response = await settle(async () =>
      order.loader(routeArgs(request(`/administration/bestil?forny=${licence.id}`, { cookie: await adminCookie() }))),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { values: Record<string, string> };
    expect(body.values).toMatchObject({
      kind: "renewal",
      planSlug: "pilot-100-12",
      startsOn: shiftDays(licence.endsOn, 1),
      ean: "5798000123458",
      personReference: "Hanne Berg",
      orderReference: "",
    });
    const nabo = await sessionCookieFor(demoEmails.neighbourAdmin);
    expect(
      (
        await settle(() =>
          order.loader(routeArgs(request(`/administration/bestil?forny=${licence.id}`, { cookie: nabo }))),
        )
      ).status,
    ).toBe(404);
  });
});

describe("unpaid invoices and licence ends", () => {
  it("stops new seats 14 days after an unpaid due date, tells admins and owner once, and keeps access already given", async () => {
    const { invoice, orderId } = await placePilotOrder();
    const licenceId = db.select().from(orders).where(eq(orders.id, orderId)).get()!.licenceId;
    const learner = userIdByEmail(demoEmails.neighbourLearner);
    expect(claimSeat(licenceId, learner).status).toBe("claimed");

    const dueDate = invoice.dueDate;
    const fourteenDaysLate = new Date(`${shiftDays(dueDate, 14)}T10:00:00Z`);
    const fifteenDaysLate = new Date(`${shiftDays(dueDate, 15)}T10:00:00Z`);
    expect(isLicenceSuspended(licenceId, fourteenDaysLate)).toBe(false);
    expect(isLicenceSuspended(licenceId, fifteenDaysLate)).toBe(true);
    expect(claimSeat(licenceId, userIdByEmail(demoEmails.neighbourAdmin), fifteenDaysLate).status).toBe("suspended");
    // The person who already holds a seat keeps it.
    expect(
      db
        .select()
        .from(seats)
        .where(eq(seats.userId, learner))
        .all()
        .filter((s) => s.revokedAt === null),
    ).toHaveLength(1);
    // Nobody is invited to seats that cannot be taken.
    const invite = async () =>
      (
        await settle(async () =>
          admin.action(
            routeArgs(
              formRequest(
                "/administration",
                { intent: "invite", licenceId: String(licenceId), email: "ny@demo-kommune.dk" },
                await adminCookie(),
              ),
            ),
          ),
        )
      ).status;
    db.update(invoices)
      .set({ dueDate: shiftDays(today, -15) })
      .where(eq(invoices.id, invoice.id))
      .run();
    expect(await invite()).toBe(409);
    db.update(invoices).set({ dueDate }).where(eq(invoices.id, invoice.id)).run();
    expect(await invite()).toBe(200);

    const before = db.select({ id: outboxEmails.id }).from(outboxEmails).all().length;
    await runBillingJobs(fifteenDaysLate);
    await runBillingJobs(fifteenDaysLate);
    const mails = db
      .select()
      .from(outboxEmails)
      .all()
      .slice(before)
      .filter((m) => m.subject === `Faktura nr. ${invoice.number} er forfalden`);
    expect(mails.map((m) => m.to).sort()).toEqual([demoEmails.admin, demoEmails.owner]);
  });

  it("never counts an invoice that has not reached the municipality as unpaid", async () => {
    const { invoice, orderId } = await placePilotOrder();
    const licenceId = db.select().from(orders).where(eq(orders.id, orderId)).get()!.licenceId;
    db.update(invoices).set({ status: "pending" }).where(eq(invoices.id, invoice.id)).run();
    const muchLater = new Date(`${shiftDays(invoice.dueDate, 60)}T10:00:00Z`);
    expect(isLicenceSuspended(licenceId, muchLater)).toBe(false);
    db.update(invoices).set({ status: "sent" }).where(eq(invoices.id, invoice.id)).run();
    expect(isLicenceSuspended(licenceId, muchLater)).toBe(true);
  });

  it("mails the admins 60 and 30 days before the end, each once, with a renewal link", async () => {
    const startsOn = shiftDays(today, -300);
    const licenceId = createLicence(db, {
      organisationId: 2,
      planId: null,
      seatCount: 5,
      startsOn,
      endsOn: shiftDays(today, 59),
      courseIds: [],
    });
    const sent = () =>
      db
        .select()
        .from(outboxEmails)
        .where(eq(outboxEmails.to, demoEmails.neighbourAdmin))
        .all()
        .filter((m) => m.text.includes(`forny=${licenceId}`));
    await runBillingJobs();
    await runBillingJobs();
    expect(sent()).toHaveLength(1);
    expect(sent()[0]?.subject).toContain("om 59 dage");
    const thirtyBefore = new Date(`${shiftDays(today, 29)}T10:00:00Z`);
    await runBillingJobs(thirtyBefore);
    await runBillingJobs(thirtyBefore);
    expect(sent()).toHaveLength(2);
    expect(
      db
        .select()
        .from(licenceNotices)
        .where(eq(licenceNotices.licenceId, licenceId))
        .all()
        .map((n) => n.kind)
        .sort(),
    ).toEqual(["ends_in_30_days", "ends_in_60_days"]);
  });
});

describe("refusals on the order page", () => {
  it("sends a quote that cannot be made back to the order page, where its problems show beside the fields", async () => {
    const cookie = await adminCookie();
    const before = orderCount();
    const fields = pilotOrder({ intent: "quote", ean: "123", acceptTerms: "" });
    const refused = await settle(() =>
      quote.action(routeArgs(formRequest("/administration/tilbud.pdf?ekstra=9", fields, cookie))),
    );
    // 307: the browser sends the same fields again, to the order page, keeping the page's address.
    expect(refused.status).toBe(307);
    expect(refused.headers.get("Location")).toBe("/administration/bestil?ekstra=9");

    const { html, context } = await renderRoute(
      order,
      "/administration/bestil",
      formRequest("/administration/bestil", fields, cookie),
    );
    expect(context.actionData?.route).toMatchObject({
      formId: "order",
      summary: null,
      result: { error: { "": ["order.quoteRefused"], ean: ["order.eanInvalid"] } },
    });
    expect(html).toContain(escapeHtml("Tilbuddet kunne ikke laves, fordi bestillingen har fejl."));
    expect(html).toContain(escapeHtml("EAN-nummeret er ikke gyldigt"));
    // What was typed is still there to correct.
    expect(html).toContain('value="PO-4711"');
    expect(orderCount()).toBe(before);
  });

  it("says above the form that extra seats cannot be bought for a licence that has ended since", async () => {
    const ended = createLicence(db, {
      organisationId: 1,
      planId: null,
      seatCount: 5,
      startsOn: "2020-01-01",
      endsOn: shiftDays(today, -1),
      courseIds: [],
    });
    const before = orderCount();
    const response = await submitOrder(
      pilotOrder({ intent: "review", kind: "extraSeats", licenceId: String(ended), seats: "5" }),
    );
    expect(response.status).toBe(409);
    const body = (await response.json()) as { formId: string; result: { error: Record<string, string[]> } };
    expect(body.formId).toBe("order");
    expect(body.result.error[""]).toEqual(["order.licenceEnded"]);
    expect(body.result.error.licenceId).toBeUndefined();
    expect(orderCount()).toBe(before);
  });

  it("still writes a well-formed OIOUBL file for an order saved before such characters were refused", async () => {
    const { orderId, invoice } = await placePilotOrder();
    db.update(orders)
      .set({
        buyerStreetName: "Rådhus\u000Btorvet",
        personReference: "Hanne\u0000Berg",
        orderReference: "PO\uFFFF4711",
      })
      .where(eq(orders.id, orderId))
      .run();
    const response = await settle(async () =>
      xmlRoute.loader(
        routeArgs(request(`/fakturaer/${invoice.id}/xml`, { cookie: await adminCookie() }), {
          invoiceId: String(invoice.id),
        }),
      ),
    );
    expect(response.status).toBe(200);
    const xml = parseXml(await response.text());
    expect(textAt(xml, "cac:OrderReference/cbc:ID")).toBe("PO\uFFFD4711");
    expect(textAt(xml, "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:StreetName")).toBe(
      "Rådhus\uFFFDtorvet",
    );
    expect(textAt(xml, "cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID")).toBe("Hanne\uFFFDBerg");
  });

  it("refuses characters an invoice cannot carry, beside the field, and places nothing", async () => {
    const before = orderCount();
    const cases: [Record<string, string>, string][] = [
      [{ orderReference: "PO\u000B4711" }, "orderReference"],
      [{ personReference: "Hanne\u0000Berg" }, "personReference"],
      [{ streetName: "Rådhus\u001Ftorvet" }, "streetName"],
      [{ city: "Vej\uFFFEle" }, "city"],
      [{ buildingNumber: "1\nA" }, "buildingNumber"],
      [{ discountCode: "PILOT\u000B2026" }, "discountCode"],
    ];
    for (const [overrides, field] of cases) {
      const response = await submitOrder(pilotOrder(overrides));
      expect(response.status, field).toBe(400);
      const body = (await response.json()) as { result: { error: Record<string, string[]> } };
      expect(body.result.error[field], field).toEqual(["validation.controlCharacter"]);
    }
    expect(orderCount()).toBe(before);
    const { html } = await renderRoute(
      order,
      "/administration/bestil",
      formRequest(
        "/administration/bestil",
        pilotOrder({ intent: "review", orderReference: "PO\u000B4711" }),
        await adminCookie(),
      ),
    );
    expect(html).toContain(escapeHtml("Teksten indeholder et usynligt styretegn"));
  });
});

describe("marking an invoice paid when it cannot be", () => {
  const markPaid = async (invoiceId: number) =>
    settle(async () =>
      owner.action(
        routeArgs(
          formRequest(
            "/ejer/fakturaer",
            { intent: "markPaid", invoiceId: String(invoiceId) },
            await sessionCookieFor(demoEmails.owner),
          ),
        ),
      ),
    );

  it("tells the owner in the invoice's row when the payment system cannot be reached, and changes nothing", async () => {
    const { invoice } = await placePilotOrder();
    // A Stripe invoice Stripe never made: the provider throws, as it does when Stripe cannot be reached.
    db.update(invoices).set({ provider: "stripe", stripeInvoiceId: null }).where(eq(invoices.id, invoice.id)).run();
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const refused = await markPaid(invoice.id);
      expect(refused.status).toBe(502);
      expect(await refused.json()).toMatchObject({
        formId: `invoice-${invoice.id}`,
        result: { error: { "": ["refusal.paymentSystemDown"] } },
      });
      const cookie = await sessionCookieFor(demoEmails.owner);
      const { html } = await renderRoute(
        owner,
        "/ejer/fakturaer",
        formRequest("/ejer/fakturaer", { intent: "markPaid", invoiceId: String(invoice.id) }, cookie),
      );
      expect(html).toContain(escapeHtml("Betalingssystemet svarer ikke lige nu. Prøv igen om lidt."));
      expect(log).toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
    expect(db.select().from(invoices).where(eq(invoices.id, invoice.id)).get()?.status).toBe("sent");
  });

  it("tells the owner in the row that a void invoice cannot be paid", async () => {
    const { invoice } = await placePilotOrder();
    db.update(invoices).set({ status: "void" }).where(eq(invoices.id, invoice.id)).run();
    const refused = await markPaid(invoice.id);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      formId: `invoice-${invoice.id}`,
      result: { error: { "": ["refusal.invoiceNotPayable"] } },
    });
    expect(db.select().from(invoices).where(eq(invoices.id, invoice.id)).get()?.status).toBe("void");
    expect((await markPaid(999_999)).status).toBe(404);
  });
});
