import { asc, count, eq } from "drizzle-orm";
import { courses, discounts, licenceCourses, orders, planCourses, plans } from "#db/schema";
import { orderSchema } from "~/billing/forms";
import { placeOrder } from "~/billing/orders.server";
import { activePlans, findDiscount, planBySlug } from "~/billing/pricing.server";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import * as page from "~/routes/ejer.priser/route";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { pilotOrderFields } from "../utils/fixtures";

type Reply = { formId: string; result: { error?: Record<string, string[] | null> }; notice: { key: string } | null };

const courseIds = () =>
  db
    .select({ id: courses.id })
    .from(courses)
    .orderBy(asc(courses.position))
    .all()
    .map((row) => row.id);
const planCount = () => db.select({ n: count() }).from(plans).get()?.n ?? 0;
const discountCount = () => db.select({ n: count() }).from(discounts).get()?.n ?? 0;
const coursesOfPlan = (planId: number) =>
  db
    .select({ id: planCourses.courseId })
    .from(planCourses)
    .where(eq(planCourses.planId, planId))
    .all()
    .map((row) => row.id)
    .sort();
const pilotPlanId = () => db.select({ id: plans.id }).from(plans).where(eq(plans.slug, "pilot-100-12")).get()!.id;

/** A form body; `courseIds` is sent once per ticked box, as a browser sends checkboxes. */
function body(fields: Record<string, string | number[]>) {
  const entries = Object.entries(fields).flatMap(([name, value]) =>
    Array.isArray(value) ? value.map((item) => [name, String(item)]) : [[name, value]],
  );
  return new URLSearchParams(entries);
}

async function post(fields: Record<string, string | number[]>, as: string | null = demoEmails.owner) {
  const cookie = as ? await sessionCookieFor(as) : undefined;
  return settle(() => page.action(routeArgs(request("/ejer/priser", { method: "POST", body: body(fields), cookie }))));
}

async function reply(response: Response) {
  return (await response.json()) as Reply;
}

const newPlan = (overrides: Record<string, string | number[]> = {}) => ({
  intent: "createPlan",
  name: "Ældreområdet: 50 pladser i ét år",
  summary: "To kurser til hjemmeplejen.",
  seatCount: "50",
  periodMonths: "12",
  seatPrice: "1.199,50",
  courseIds: courseIds().slice(0, 2),
  ...overrides,
});

const newDiscount = (overrides: Record<string, string> = {}) => ({
  intent: "createDiscount",
  label: "Efterårsrabat",
  code: "efteraar-2026",
  organisationId: "",
  planId: "",
  percent: "12,5",
  validUntil: "",
  maxUses: "",
  ...overrides,
});

describe("the owner's price page", () => {
  it("is the course owner's alone", async () => {
    const anonymous = await settle(() => page.loader(routeArgs(request("/ejer/priser"))));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/log-ind\?redirectTo=%2Fejer%2Fpriser/);
    expect((await post(newPlan(), null)).status).toBe(302);
    for (const email of [demoEmails.learner, demoEmails.leader, demoEmails.admin, demoEmails.neighbourAdmin]) {
      const cookie = await sessionCookieFor(email);
      expect((await settle(() => page.loader(routeArgs(request("/ejer/priser", { cookie }))))).status, email).toBe(404);
      expect((await post(newPlan(), email)).status, email).toBe(404);
      expect((await post(newDiscount(), email)).status, email).toBe(404);
    }
    expect(planCount()).toBe(2);
    expect(db.select().from(discounts).where(eq(discounts.code, "EFTERAAR-2026")).get()).toBeUndefined();

    const owner = await settle(async () =>
      page.loader(routeArgs(request("/ejer/priser", { cookie: await sessionCookieFor(demoEmails.owner) }))),
    );
    expect(owner.status).toBe(200);
    const data = (await owner.json()) as {
      plans: { slug: string; seatPriceOre: number; courseIds: number[] }[];
      discounts: { code: string | null; uses: number }[];
    };
    expect(data.plans.find((plan) => plan.slug === "pilot-100-12")).toMatchObject({
      seatPriceOre: 239_900,
      courseIds: expect.arrayContaining(courseIds()),
    });
    const pilotUses = db
      .select({ n: count() })
      .from(orders)
      .innerJoin(discounts, eq(discounts.id, orders.discountId))
      .where(eq(discounts.code, "PILOT2026"))
      .get()?.n;
    expect(data.discounts.find((discount) => discount.code === "PILOT2026")?.uses).toBe(pilotUses);
  });

  it("creates a plan priced a seat, with a slug made from its Danish name", async () => {
    const response = await post(newPlan());
    expect(response.status).toBe(200);
    expect((await reply(response)).notice).toEqual({ key: "plans.created" });
    const plan = db.select().from(plans).where(eq(plans.name, "Ældreområdet: 50 pladser i ét år")).get()!;
    expect(plan).toMatchObject({
      slug: "aeldreomraadet-50-pladser-i-et-aar",
      seatCount: 50,
      periodMonths: 12,
      listPriceOre: 50 * 119_950,
      active: true,
      summary: "To kurser til hjemmeplejen.",
    });
    expect(coursesOfPlan(plan.id)).toEqual(courseIds().slice(0, 2).sort());
    expect(activePlans().map((p) => p.slug)).toContain(plan.slug);

    expect((await post(newPlan())).status).toBe(200);
    expect(planBySlug("aeldreomraadet-50-pladser-i-et-aar-2")?.name).toBe(plan.name);
  });

  it("refuses bad plans beside the field, saving nothing", async () => {
    const before = planCount();
    const cases: [Record<string, string | number[]>, string, string][] = [
      [{ seatCount: "0" }, "seatCount", "plans.seatsInvalid"],
      [{ seatCount: "2,5" }, "seatCount", "plans.seatsInvalid"],
      [{ periodMonths: "" }, "periodMonths", "plans.monthsInvalid"],
      [{ seatPrice: "abc" }, "seatPrice", "plans.priceInvalid"],
      [{ seatPrice: "12,345" }, "seatPrice", "plans.priceInvalid"],
      [{ seatPrice: "0" }, "seatPrice", "plans.priceInvalid"],
      [{ seatPrice: "-100,00" }, "seatPrice", "plans.priceInvalid"],
      [{ courseIds: [] }, "courseIds", "plans.coursesRequired"],
      [{ name: "  " }, "name", "validation.required"],
    ];
    for (const [overrides, field, message] of cases) {
      const response = await post(newPlan(overrides));
      expect(response.status, JSON.stringify(overrides)).toBe(400);
      expect((await reply(response)).result.error?.[field], JSON.stringify(overrides)).toEqual([message]);
    }
    const unknownCourse = await post(newPlan({ name: "Ukendt kursus", courseIds: [courseIds()[0]!, 999_999] }));
    expect(unknownCourse.status).toBe(400);
    expect((await reply(unknownCourse)).result.error?.courseIds).toEqual(["plans.courseUnknown"]);
    expect(planCount()).toBe(before);
  });

  it("changes a plan for later orders only, and takes it off sale", async () => {
    expect((await post(newPlan({ name: "Tandplejen" }))).status).toBe(200);
    const plan = db.select().from(plans).where(eq(plans.name, "Tandplejen")).get()!;
    const form = orderSchema.parse(pilotOrderFields({ planSlug: plan.slug, discountCode: "", orderReference: "PO-1" }));
    const placed = await placeOrder({ id: userIdByEmail(demoEmails.admin) }, form, new Date(), "manual");
    if (placed.status !== "placed") throw new Error(`Ordren blev ikke afgivet: ${JSON.stringify(placed)}`);
    const orderBefore = db.select().from(orders).where(eq(orders.id, placed.orderId)).get()!;
    expect(orderBefore).toMatchObject({ planName: "Tandplejen", netOre: 50 * 119_950 });
    const licenceCoursesOf = () =>
      db
        .select({ id: licenceCourses.courseId })
        .from(licenceCourses)
        .where(eq(licenceCourses.licenceId, orderBefore.licenceId))
        .all()
        .map((row) => row.id)
        .sort();
    const coursesBefore = licenceCoursesOf();

    const edit = {
      intent: "updatePlan",
      planId: String(plan.id),
      name: "Tandplejen og sundhedsplejen",
      summary: "",
      seatCount: "40",
      periodMonths: "12",
      seatPrice: "999,00 kr.",
      courseIds: courseIds().slice(2),
      active: "on",
    };
    const response = await post(edit);
    expect(response.status).toBe(200);
    expect(await reply(response)).toMatchObject({ formId: `plan-${plan.id}`, notice: { key: "plans.saved" } });
    expect(db.select().from(plans).where(eq(plans.id, plan.id)).get()).toMatchObject({
      slug: plan.slug,
      name: "Tandplejen og sundhedsplejen",
      seatCount: 40,
      periodMonths: 12,
      listPriceOre: 40 * 99_900,
      active: true,
    });
    expect(coursesOfPlan(plan.id)).toEqual(courseIds().slice(2).sort());
    expect(db.select().from(orders).where(eq(orders.id, placed.orderId)).get()).toEqual(orderBefore);
    expect(licenceCoursesOf()).toEqual(coursesBefore);

    // A plan must keep at least one course, and a refused change leaves it as it was.
    const noCourses = await post({ ...edit, name: "Uden kurser", courseIds: [] });
    expect(noCourses.status).toBe(400);
    expect((await reply(noCourses)).result.error?.courseIds).toEqual(["plans.coursesRequired"]);
    expect(db.select().from(plans).where(eq(plans.id, plan.id)).get()?.name).toBe("Tandplejen og sundhedsplejen");
    expect(coursesOfPlan(plan.id)).toEqual(courseIds().slice(2).sort());

    // An unticked "on sale" box sends nothing.
    const { active: _active, ...offSale } = edit;
    expect((await post(offSale)).status).toBe(200);
    expect(activePlans().map((p) => p.id)).not.toContain(plan.id);
    expect(planBySlug(plan.slug)).toBeNull();
    expect(db.select().from(orders).where(eq(orders.id, placed.orderId)).get()).toEqual(orderBefore);

    const gone = await post({ ...edit, planId: "999999" });
    expect(gone.status).toBe(404);
    expect(await reply(gone)).toMatchObject({
      formId: "plan-999999",
      result: { error: { "": ["plans.planUnknown"] } },
      notice: null,
    });
  });
});

describe("discounts on the owner's price page", () => {
  it("creates a code in capitals, and refuses one already taken with 409", async () => {
    const response = await post(newDiscount({ maxUses: "10", validUntil: "2030-12-31" }));
    expect(response.status).toBe(200);
    expect((await reply(response)).notice).toEqual({ key: "plans.discountCreated" });
    expect(db.select().from(discounts).where(eq(discounts.code, "EFTERAAR-2026")).get()).toMatchObject({
      label: "Efterårsrabat",
      organisationId: null,
      planId: null,
      percentBasisPoints: 1250,
      validUntil: "2030-12-31",
      maxUses: 10,
      active: true,
    });

    const before = discountCount();
    const taken = await post(newDiscount({ code: "pilot2026" }));
    expect(taken.status).toBe(409);
    expect((await reply(taken)).result.error?.code).toEqual(["plans.codeTaken"]);
    expect(discountCount()).toBe(before);
  });

  it("refuses bad discounts beside the field", async () => {
    const before = discountCount();
    const cases: [Record<string, string>, string, string][] = [
      [{ percent: "0" }, "percent", "plans.percentInvalid"],
      [{ percent: "101" }, "percent", "plans.percentInvalid"],
      [{ percent: "12,345" }, "percent", "plans.percentInvalid"],
      [{ percent: "-5" }, "percent", "plans.percentInvalid"],
      [{ percent: "75 kr." }, "percent", "plans.percentInvalid"],
      [{ code: "RABAT!" }, "code", "plans.codeInvalid"],
      [{ code: "FORÅR" }, "code", "plans.codeInvalid"],
      [{ code: "AB" }, "code", "plans.codeInvalid"],
      [{ code: "X".repeat(41) }, "code", "plans.codeInvalid"],
      [{ code: "NABO-10", organisationId: "2" }, "code", "plans.codeAndOrganisation"],
      [{ code: "" }, "code", "plans.codeOrOrganisation"],
      [{ maxUses: "0" }, "maxUses", "plans.maxUsesInvalid"],
      [{ validUntil: "31-12-2030" }, "validUntil", "plans.dateInvalid"],
      [{ label: "" }, "label", "validation.required"],
    ];
    for (const [overrides, field, message] of cases) {
      const response = await post(newDiscount({ code: "GYLDIG-KODE", ...overrides }));
      expect(response.status, JSON.stringify(overrides)).toBe(400);
      expect((await reply(response)).result.error?.[field], JSON.stringify(overrides)).toEqual([message]);
    }
    const unknownPlan = await post(newDiscount({ code: "GYLDIG-KODE", planId: "999999" }));
    expect(unknownPlan.status).toBe(400);
    expect((await reply(unknownPlan)).result.error?.planId).toEqual(["plans.planUnknown"]);
    expect(discountCount()).toBe(before);
  });

  it("gives an agreement to its municipality by itself, and to no other", async () => {
    const planId = pilotPlanId();
    const response = await post(
      newDiscount({
        label: "Aftale med Nabo Kommune",
        code: "",
        organisationId: "2",
        planId: String(planId),
        percent: "20",
      }),
    );
    expect(response.status).toBe(200);
    const agreement = db.select().from(discounts).where(eq(discounts.label, "Aftale med Nabo Kommune")).get()!;
    expect(agreement).toMatchObject({ code: null, organisationId: 2, planId, percentBasisPoints: 2000 });
    expect(findDiscount({ organisationId: 2, planId, code: null })).toEqual({
      status: "found",
      discount: { id: agreement.id, label: "Aftale med Nabo Kommune", basisPoints: 2000 },
    });
    expect(findDiscount({ organisationId: 1, planId, code: null })).toEqual({ status: "none" });
  });

  it("deactivates and reactivates a discount", async () => {
    const pilot = db.select().from(discounts).where(eq(discounts.code, "PILOT2026")).get()!;
    const lookup = () => findDiscount({ organisationId: 1, planId: pilotPlanId(), code: "PILOT2026" }).status;
    expect(lookup()).toBe("found");

    const off = await post({ intent: "setDiscountActive", discountId: String(pilot.id), active: "false" });
    expect(off.status).toBe(200);
    expect((await reply(off)).notice).toEqual({ key: "plans.discountDeactivated" });
    expect(lookup()).toBe("unknownCode");

    expect((await post({ intent: "setDiscountActive", discountId: String(pilot.id), active: "true" })).status).toBe(
      200,
    );
    expect(lookup()).toBe("found");

    // A discount gone since the page was read is said in its row, not on an error page.
    const gone = await post({ intent: "setDiscountActive", discountId: "999999", active: "false" });
    expect(gone.status).toBe(404);
    expect(await reply(gone)).toMatchObject({
      formId: "discount-999999",
      result: { error: { "": ["plans.discountGone"] } },
      notice: null,
    });
    expect((await post({ intent: "setDiscountActive", discountId: String(pilot.id), active: "maybe" })).status).toBe(
      400,
    );
  });
});
