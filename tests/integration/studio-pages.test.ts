import { asc, eq } from "drizzle-orm";
import { courses, modules, plans } from "#db/schema";
import { orderSchema } from "~/billing/forms";
import { placeOrder } from "~/billing/orders.server";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import * as learnerModulePage from "~/routes/kurser.$courseSlug.$moduleSlug._index";
import * as pricesPage from "~/routes/ejer.priser/route";
import * as overviewPage from "~/routes/ejer.studie._index";
import * as coursePage from "~/routes/ejer.studie.kurser.$courseId._index/route";
import * as modulePage from "~/routes/ejer.studie.moduler.$moduleId._index/route";
import * as quizBuilderPage from "~/routes/ejer.studie.moduler.$moduleId.quiz/route";
import { pilotOrderFields } from "../utils/fixtures";
import { giveModuleFilm } from "../utils/media";
import { moduleIdBySlug, storedQuestions } from "../utils/quizzes";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

/** What the studio's pages show a first-time owner, rendered as Remix renders them on the server. */

const OWNER = demoEmails.owner;
let cookie: string;
beforeEach(async () => {
  cookie = await sessionCookieFor(OWNER);
});

async function post(
  route: { action: (args: ReturnType<typeof routeArgs>) => Promise<Response> },
  path: string,
  params: Record<string, string>,
  fields: Record<string, string | string[]>,
) {
  const body = new URLSearchParams(
    Object.entries(fields).flatMap(([name, value]) =>
      Array.isArray(value) ? value.map((item) => [name, item]) : [[name, value]],
    ),
  );
  return settle(() => route.action(routeArgs(request(path, { method: "POST", body, cookie }), params)));
}

async function newCourse(title: string) {
  const response = await post(
    overviewPage,
    "/ejer/studie",
    {},
    { intent: "createCourse", title, summary: "Et kursus til test af studiets sider." },
  );
  expect(response.status).toBe(302);
  return Number(response.headers.get("Location")!.split("/").pop());
}

async function newModule(courseId: number, title: string) {
  const response = await post(
    coursePage,
    `/ejer/studie/kurser/${courseId}`,
    { courseId: String(courseId) },
    { intent: "createModule", title, description: "En film om at se tegnene i tide." },
  );
  expect(response.status).toBe(302);
  return Number(response.headers.get("Location")!.split("/").pop());
}

async function publishModule(moduleId: number) {
  const response = await post(
    modulePage,
    `/ejer/studie/moduler/${moduleId}`,
    { moduleId: String(moduleId) },
    { intent: "publishModule", published: "true" },
  );
  expect(response.status).toBe(200);
}

const renderCourse = async (courseId: number) =>
  (
    await renderRoute(
      coursePage,
      "/ejer/studie/kurser/:courseId",
      request(`/ejer/studie/kurser/${courseId}`, { cookie }),
    )
  ).html;
const renderModule = async (moduleId: number) =>
  (
    await renderRoute(
      modulePage,
      "/ejer/studie/moduler/:moduleId",
      request(`/ejer/studie/moduler/${moduleId}`, { cookie }),
    )
  ).html;
const renderOverview = async () =>
  (await renderRoute(overviewPage, "/ejer/studie", request("/ejer/studie", { cookie }))).html;
const giveFilm = (moduleId: number) => giveModuleFilm(moduleId);

/** Each input tag in the HTML whose id starts with the prefix, with whether it is ticked. */
function boxes(html: string, idPrefix: string) {
  return [...html.matchAll(/<input[^>]*>/g)]
    .map((match) => match[0])
    .filter((tag) => tag.includes(`id="${idPrefix}`))
    .map((tag) => ({ id: /id="([^"]+)"/.exec(tag)![1]!, checked: /\schecked=""/.test(tag) }));
}

/** The text of each label in the fieldset with this legend. */
function labelsIn(html: string, legend: string) {
  const start = html.indexOf(`<legend>${escapeHtml(legend)}</legend>`);
  expect(start, legend).toBeGreaterThan(-1);
  const fieldset = html.slice(start, html.indexOf("</fieldset>", start));
  return [...fieldset.matchAll(/<label[^>]*>([^<]*)<\/label>/g)].map((match) => match[1]!);
}

describe("publishing in the studio", () => {
  it("offers no Udgiv for a course without modules, nor for a module without a film, and says what is missing", async () => {
    const title = "Kursus uden moduler";
    const courseId = await newCourse(title);
    const needsFilm = escapeHtml("Kurset kan først udgives, når mindst ét udgivet modul har en film.");
    const course = await renderCourse(courseId);
    expect(course).not.toContain(`aria-label="${escapeHtml(`Udgiv: ${title}`)}"`);
    expect(course).toContain(needsFilm);
    const overview = await renderOverview();
    expect(overview).not.toContain(`aria-label="${escapeHtml(`Udgiv: ${title}`)}"`);

    const moduleTitle = "Modul uden film";
    const moduleId = await newModule(courseId, moduleTitle);
    const modulePublish = `aria-label="${escapeHtml(`Udgiv: ${moduleTitle}`)}"`;
    const moduleNeedsFilm = escapeHtml("Modulet kan først udgives, når der er lagt en film op.");
    for (const html of [await renderModule(moduleId), await renderCourse(courseId)]) {
      expect(html).not.toContain(modulePublish);
      expect(html).toContain(moduleNeedsFilm);
    }

    // A film without Danish subtitles is not enough, and the page says what to do.
    await giveModuleFilm(moduleId, { subtitles: false });
    const needsSubtitles = escapeHtml(
      "Modulet kan først udgives, når filmen har danske undertekster. Læg dem op via »Læg film og undertekster op«, og udgiv så igen.",
    );
    for (const html of [await renderModule(moduleId), await renderCourse(courseId)]) {
      expect(html).not.toContain(modulePublish);
      expect(html).toContain(needsSubtitles);
    }

    // With a film the module can be published, and once it is, so can the course.
    await giveFilm(moduleId);
    expect(await renderModule(moduleId)).toContain(modulePublish);
    expect(await renderCourse(courseId)).toContain(modulePublish);
    await publishModule(moduleId);
    const publishable = await renderCourse(courseId);
    expect(publishable).toContain(`aria-label="${escapeHtml(`Udgiv: ${title}`)}"`);
    expect(publishable).not.toContain(needsFilm);
  });

  it("shows a published course that no plan on sale includes as the next step, with the ways to sell it, until it is in one", async () => {
    const courseId = await newCourse("Kursus til salg");
    const moduleId = await newModule(courseId, "Filmen til salg");
    await giveFilm(moduleId);
    await publishModule(moduleId);
    const priceLink = `href="/ejer/priser?kursus=${courseId}#ny-licens"`;
    const heading = "Næste skridt: Gør kurset muligt at købe";

    // Not yet published: nothing to sell.
    expect(await renderCourse(courseId)).not.toContain(heading);
    expect(
      (
        await post(
          coursePage,
          `/ejer/studie/kurser/${courseId}`,
          { courseId: String(courseId) },
          { intent: "publishCourse", published: "true" },
        )
      ).status,
    ).toBe(200);

    const html = await renderCourse(courseId);
    expect(html).toContain(heading);
    expect(html).toContain(priceLink);
    const onSale = db
      .select({ id: plans.id, name: plans.name })
      .from(plans)
      .where(eq(plans.active, true))
      .orderBy(asc(plans.name), asc(plans.id))
      .all();
    expect(labelsIn(html, "Licenser til salg, som kurset skal med i")).toEqual(
      onSale.map((plan) => escapeHtml(plan.name)),
    );

    const added = await post(
      coursePage,
      `/ejer/studie/kurser/${courseId}`,
      { courseId: String(courseId) },
      { intent: "addToPlans", planIds: [String(onSale[0]!.id)] },
    );
    expect(added.status).toBe(200);
    const after = await renderCourse(courseId);
    expect(after).not.toContain(heading);
    expect(after).not.toContain(priceLink);
  });

  it("starts the price page's new plan with the course the studio sent, and with every course otherwise", async () => {
    const all = db
      .select({ id: courses.id })
      .from(courses)
      .all()
      .map((course) => course.id);
    const courseId = await newCourse("Kurset til en ny licens");
    const render = async (query: string) =>
      (await renderRoute(pricesPage, "/ejer/priser", request(`/ejer/priser${query}`, { cookie }))).html;

    const sent = boxes(await render(`?kursus=${courseId}`), "createPlan-courseIds-");
    expect(sent.length).toBe(all.length + 1);
    expect(sent.filter((box) => box.checked).map((box) => box.id)).toEqual([`createPlan-courseIds-${courseId}`]);
    // Without a course, or with one that does not exist, the new plan has them all, as before.
    for (const query of ["", "?kursus=999999", "?kursus=abc"]) {
      const plain = boxes(await render(query), "createPlan-courseIds-");
      expect(plain.length, query).toBe(all.length + 1);
      expect(
        plain.every((box) => box.checked),
        query,
      ).toBe(true);
    }
  });
});

describe("the course's access list", () => {
  it("tells apart licences of the same municipality, period and size by plan, order number and licence number", async () => {
    const admin = { id: userIdByEmail(demoEmails.admin) };
    const placed: number[] = [];
    for (const orderReference of ["PO-1001", "PO-1002"]) {
      const form = orderSchema.parse(pilotOrderFields({ discountCode: "", orderReference }));
      const result = await placeOrder(admin, form, new Date(), "manual");
      if (result.status !== "placed") throw new Error(`Ordren blev ikke afgivet: ${JSON.stringify(result)}`);
      placed.push(result.orderId);
    }
    const courseId = await newCourse("Kursus med ens licenser");
    const lines = labelsIn(await renderCourse(courseId), "Vælg de licenser, der skal have kurset");
    const demo = lines.filter((line) => line.startsWith("Demo Kommune"));
    // The seeded pilot licence and the two just ordered, alike but for what now tells them apart.
    expect(demo).toHaveLength(3);
    expect(new Set(demo).size).toBe(3);
    expect(demo.filter((line) => line.includes("Ordrenr. PO-1001"))).toHaveLength(1);
    expect(demo.filter((line) => line.includes("Ordrenr. PO-1002"))).toHaveLength(1);
    const pilotName = db.select({ name: plans.name }).from(plans).where(eq(plans.slug, "pilot-100-12")).get()!.name;
    expect(demo.every((line) => line.includes(escapeHtml(pilotName)) && /Licens nr\. \d+/.test(line))).toBe(true);
  });
});

describe("the learner's module page", () => {
  it("leaves out the reflection box when the module has no reflection questions", async () => {
    const learner = await sessionCookieFor(demoEmails.learner);
    const course = "unges-egne-fortaellinger";
    const slug = "amira-vi-flyttede-hele-tiden";
    const render = async () =>
      (
        await renderRoute(
          learnerModulePage,
          "/kurser/:courseSlug/:moduleSlug",
          request(`/kurser/${course}/${slug}`, { cookie: learner }),
        )
      ).html;
    const heading = "Spørgsmål til refleksion på personalemødet";
    expect(await render()).toContain(heading);

    const moduleId = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, slug)).get()!.id;
    expect(
      (
        await post(
          modulePage,
          `/ejer/studie/moduler/${moduleId}`,
          { moduleId: String(moduleId) },
          { intent: "saveReflection" },
        )
      ).status,
    ).toBe(200);
    const html = await render();
    expect(html).toContain(escapeHtml("Amira"));
    expect(html).not.toContain(heading);
    expect(html).not.toContain(escapeHtml("Brug spørgsmålene, når I taler filmen igennem sammen."));
  });
});

describe("the quiz builder", () => {
  it("marks a one-answer question's right answer with a radio button in a group of its own, and several right answers with boxes", async () => {
    const slug = "sofie-ingen-spurgte-til-mig";
    const questions = storedQuestions(slug);
    expect(new Set(questions.map((q) => q.kind))).toEqual(new Set(["single", "trueFalse", "multiple"]));
    const moduleId = moduleIdBySlug(slug);
    const { html } = await renderRoute(
      quizBuilderPage,
      "/ejer/studie/moduler/:moduleId/quiz",
      request(`/ejer/studie/moduler/${moduleId}/quiz`, { cookie }),
    );
    const inputs = [...html.matchAll(/<input[^>]*>/g)].map((match) => match[0]);
    const named = (name: string) => inputs.filter((tag) => tag.includes(`name="${escapeHtml(name)}"`));
    questions.forEach((question, index) => {
      const radios = named(`questions[${index}].correctOption`);
      const boxes = question.options.flatMap((_, option) => named(`questions[${index}].options[${option}].correct`));
      const right = question.options.map((option) => option.correct);
      if (question.kind === "multiple") {
        expect(radios, question.kind).toEqual([]);
        expect(boxes.every((tag) => tag.includes('type="checkbox"'))).toBe(true);
        expect(boxes.map((tag) => tag.includes('checked=""'))).toEqual(right);
      } else {
        expect(boxes, question.kind).toEqual([]);
        expect(
          radios.every((tag) => tag.includes('type="radio"')),
          question.kind,
        ).toBe(true);
        expect(
          radios.map((tag) => tag.includes('checked=""')),
          question.kind,
        ).toEqual(right);
        expect(new Set(radios.map((tag) => /id="([^"]+)"/.exec(tag)![1])).size).toBe(radios.length);
      }
    });
  });
});
