import { eq } from "drizzle-orm";
import { courses, organisationUnits, seats, trainingAssignments, trainingCycles } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { danishDate, shiftDays } from "~/i18n/dates";
import * as adminPage from "~/routes/administration.obligatorisk._index/route";
import * as leaderPage from "~/routes/leder_.obligatorisk/route";
import { removeUnit } from "~/licensing/organisation.server";
import { createAssignment, removeAssignment } from "~/training/assignments.server";
import { recordCourseProgress, syncTrainingCycles } from "~/training/cycles.server";
import { createAssignmentSchema } from "~/training/forms";
import { validateForm } from "~/utils/form-schema";
import { addDemoPeople, courseIdOf } from "../utils/feedback";
import { formRequest, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";
import { organisationIdBySlug, unitIdByName } from "../utils/training";
import { allRounds, completeCourseAt, currentRound } from "../utils/training-progress";

const COURSE = "unges-egne-fortaellinger";
const NOW = new Date();
const TODAY = danishDate(NOW);
const DAY = 86_400_000;
const later = (days: number) => new Date(NOW.getTime() + days * DAY);

const demo = () => organisationIdBySlug("demo-kommune");
const courseId = () => courseIdOf(COURSE);
const skovbrynet = () => unitIdByName("Skovbrynets Børnehus");

type Reply = { formId: string; result: { error?: Record<string, string[]> }; notice: { key: string } | null };

/** The form as the page sends it: a course made mandatory for Skovbrynets Børnehus by a date, unless overridden. */
function formFor(fields: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "create",
    organisationId: String(demo()),
    courseId: String(courseId()),
    scope: "unit",
    unitId: String(skovbrynet()),
    dueMode: "date",
    dueOn: shiftDays(TODAY, 30),
    ...fields,
  };
}

async function post(email: string, fields: Record<string, string>, page: "admin" | "leader" = "admin") {
  const cookie = await sessionCookieFor(email);
  const route = page === "admin" ? adminPage : leaderPage;
  const url = page === "admin" ? "/administration/obligatorisk" : "/leder/obligatorisk";
  const response = await settle(() => route.action(routeArgs(formRequest(url, fields, cookie))));
  return { status: response.status, body: (await response.json()) as Reply };
}

/** The domain's input, parsed from the page's form by the same schema and parser the action uses. */
function input(fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(formFor(fields))) form.set(name, value);
  const submission = validateForm(form, createAssignmentSchema);
  if (submission.status !== "success") throw new Error(JSON.stringify(submission.error));
  return submission.value;
}
const admin = () => ({ id: userIdByEmail(demoEmails.admin) });
const leader = () => ({ id: userIdByEmail(demoEmails.leader) });
const assignmentCount = () => db.select().from(trainingAssignments).all().length;

describe("making a course mandatory", () => {
  it("opens a round with the due date for everyone in the unit who has a seat, and no one else", async () => {
    const { status, body } = await post(demoEmails.admin, formFor());
    expect(status).toBe(200);
    expect(body.notice?.key).toBe("training.created");
    expect(currentRound(demoEmails.learner, courseId())).toMatchObject({ dueOn: shiftDays(TODAY, 30), number: 1 });
    expect(currentRound(demoEmails.leader, courseId())).toMatchObject({ dueOn: shiftDays(TODAY, 30) });
    expect(currentRound(demoEmails.healthVisitor, courseId())).toBeUndefined();
  });

  const refusals: [string, Record<string, string>, string, string][] = [
    ["a due date before today", { dueOn: shiftDays(TODAY, -1) }, "dueOn", "training.error.dueInPast"],
    ["a recurrence of 0 months", { recurrenceMonths: "0" }, "recurrenceMonths", "training.error.recurrenceRange"],
    [
      "a recurrence of 1,000 months",
      { recurrenceMonths: "1000" },
      "recurrenceMonths",
      "training.error.recurrenceRange",
    ],
    ["a due date that is no date", { dueOn: "2027-02-30" }, "dueOn", "training.error.dueDateInvalid"],
    ["a unit without a unit", { unitId: "" }, "unitId", "training.error.unitRequired"],
  ];
  for (const [what, fields, field, key] of refusals) {
    it(`refuses ${what} beside the field, writing nothing`, async () => {
      const { status, body } = await post(demoEmails.admin, formFor(fields));
      expect(status).toBe(400);
      expect(body.result.error?.[field]).toEqual([key]);
      expect(assignmentCount()).toBe(0);
    });
  }

  it("refuses a unit of another municipality", async () => {
    const nabo = db.select().from(organisationUnits).where(eq(organisationUnits.name, "Skole og Dagtilbud")).get()!;
    const { status, body } = await post(demoEmails.admin, formFor({ unitId: String(nabo.id) }));
    expect(status).toBe(400);
    expect(body.result.error?.unitId).toEqual(["training.error.unitNotFound"]);
    expect(assignmentCount()).toBe(0);
  });

  it("refuses a person of another municipality, naming them", async () => {
    const people = `${demoEmails.learner}\nmedarbejder@nabo-kommune.dk`;
    const { status, body } = await post(demoEmails.admin, formFor({ scope: "people", people }));
    expect(status).toBe(400);
    expect(body.result.error?.[""]).toEqual(["training.error.personNotMember"]);
    expect(assignmentCount()).toBe(0);
  });

  it("refuses a course not on the municipality's licences", async () => {
    const [course] = db
      .insert(courses)
      .values({ slug: "uden-licens", title: "Uden licens", summary: "", position: 99 })
      .returning()
      .all();
    const { status, body } = await post(demoEmails.admin, formFor({ courseId: String(course!.id) }));
    expect(status).toBe(400);
    expect(body.result.error?.courseId).toEqual(["training.error.courseNotLicensed"]);
    expect(assignmentCount()).toBe(0);
  });

  it("answers another municipality's admin as if Demo Kommune did not exist", async () => {
    const { status } = await post("admin@nabo-kommune.dk", formFor());
    expect(status).toBe(404);
    expect(assignmentCount()).toBe(0);
  });

  it("lets a leader assign for their own unit, and refuses everything outside it", async () => {
    const sundhedsplejen = String(unitIdByName("Sundhedsplejen"));
    const outside: Record<string, string>[] = [
      { unitId: sundhedsplejen },
      { scope: "everyone" },
      { scope: "profession", profession: "pedagogue" },
      { scope: "people", people: demoEmails.healthVisitor },
    ];
    for (const fields of outside) {
      const { status, body } = await post(demoEmails.leader, formFor(fields), "leader");
      expect(status).toBe(403);
      expect(body.result.error?.[""]).toEqual(["training.error.leaderOwnUnit"]);
    }
    expect(assignmentCount()).toBe(0);
    const own = await post(demoEmails.leader, formFor({ scope: "people", people: demoEmails.learner }), "leader");
    expect(own.status).toBe(200);
    expect(currentRound(demoEmails.learner, courseId())).toBeDefined();
    expect(currentRound(demoEmails.leader, courseId())).toBeUndefined();
  });

  it("lets a leader remove only what is for their unit", () => {
    const everyone = createAssignment(admin(), input({ scope: "everyone" }), NOW);
    const unit = createAssignment(leader(), input(), NOW);
    if (everyone.status !== "created" || unit.status !== "created") throw new Error("not created");
    expect(removeAssignment(leader(), demo(), everyone.assignmentId, NOW)).toBe("outsideUnit");
    expect(removeAssignment(leader(), demo(), unit.assignmentId, NOW)).toBe("removed");
    expect(removeAssignment(leader(), demo(), unit.assignmentId, NOW)).toBe("notFound");
  });

  it("gives someone who joins later a due date of their own, and leaves the others' alone", () => {
    const created = createAssignment(admin(), input({ scope: "everyone", dueOn: shiftDays(TODAY, 20) }), NOW);
    expect(created.status).toBe("created");
    const [newcomer] = addDemoPeople(1);
    const tenDaysOn = later(10);
    syncTrainingCycles(tenDaysOn);
    expect(currentRound(demoEmails.learner, courseId())?.dueOn).toBe(shiftDays(TODAY, 20));
    const round = db.select().from(trainingCycles).where(eq(trainingCycles.userId, newcomer!)).get();
    // 30 days from the day they were first covered, which is later than the assignment's own date.
    expect(round).toMatchObject({ dueOn: shiftDays(danishDate(tenDaysOn), 30), openedOn: danishDate(tenDaysOn) });
  });

  it("counts days from the seat, or from the assignment day when the seat is older", () => {
    createAssignment(admin(), input({ scope: "everyone", dueMode: "afterSeat", dueDays: "14", dueOn: "" }), NOW);
    expect(currentRound(demoEmails.learner, courseId())?.dueOn).toBe(shiftDays(TODAY, 14));
    const [newcomer] = addDemoPeople(1);
    db.update(seats)
      .set({ claimedAt: later(5) })
      .where(eq(seats.userId, newcomer!))
      .run();
    syncTrainingCycles(later(5));
    const round = db.select().from(trainingCycles).where(eq(trainingCycles.userId, newcomer!)).get();
    expect(round?.dueOn).toBe(shiftDays(danishDate(later(5)), 14));
  });

  it("keeps completed rounds when an assignment is removed, and withdraws the open ones", () => {
    const created = createAssignment(admin(), input(), NOW);
    if (created.status !== "created") throw new Error("not created");
    completeCourseAt(demoEmails.learner, COURSE, NOW);
    expect(recordCourseProgress(userIdByEmail(demoEmails.learner), courseId(), NOW).status).toBe("issued");
    const completed = currentRound(demoEmails.learner, courseId());
    expect(completed?.completedOn).toBe(TODAY);

    expect(removeAssignment(admin(), demo(), created.assignmentId, later(1))).toBe("removed");
    expect(currentRound(demoEmails.learner, courseId())).toEqual(completed);
    expect(currentRound(demoEmails.leader, courseId())).toBeUndefined();
    expect(allRounds(demoEmails.leader, courseId())).toEqual([
      expect.objectContaining({ endReason: "withdrawn", completedOn: null }),
    ]);
  });

  it("gives a person covered twice one round, due at the earlier date", () => {
    createAssignment(admin(), input({ dueOn: shiftDays(TODAY, 30) }), NOW);
    const everyone = createAssignment(admin(), input({ scope: "everyone", dueOn: shiftDays(TODAY, 20) }), NOW);
    if (everyone.status !== "created") throw new Error("not created");
    expect(allRounds(demoEmails.learner, courseId())).toEqual([
      expect.objectContaining({ dueOn: shiftDays(TODAY, 20), assignmentId: everyone.assignmentId, sequence: 1 }),
    ]);
    // A later date never moves a round that is due sooner.
    createAssignment(admin(), input({ scope: "everyone", dueOn: shiftDays(TODAY, 60) }), NOW);
    expect(currentRound(demoEmails.learner, courseId())).toMatchObject({ dueOn: shiftDays(TODAY, 20), sequence: 1 });
  });

  it("keeps a unit a course is mandatory for until the assignment is removed", () => {
    const created = createAssignment(admin(), input(), NOW);
    if (created.status !== "created") throw new Error("not created");
    expect(removeUnit(admin(), demo(), skovbrynet())).toBe("unitHasAssignments");
    expect(removeAssignment(admin(), demo(), created.assignmentId, NOW)).toBe("removed");
    const unitId = skovbrynet();
    expect(removeUnit(admin(), demo(), unitId)).toBe("saved");
    expect(db.select().from(trainingAssignments).all()).toEqual([]);
    expect(allRounds(demoEmails.learner, courseId())).toEqual([
      expect.objectContaining({ endReason: "withdrawn", assignmentId: null }),
    ]);
  });

  it("leaves the same rows when the sync runs again", () => {
    createAssignment(admin(), input({ scope: "everyone" }), NOW);
    const before = db.select().from(trainingCycles).all();
    expect(before.length).toBeGreaterThan(2);
    expect(syncTrainingCycles(NOW)).toEqual({ opened: 0, movedEarlier: 0, completed: 0, withdrawn: 0 });
    expect(db.select().from(trainingCycles).all()).toEqual(before);
  });
});
