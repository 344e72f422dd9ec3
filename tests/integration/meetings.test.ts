import type * as NodeCrypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { certificates, meetingParticipants, meetingSessions, moduleProgress, modules, seats } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { consumeAllowance } from "~/auth/rate-limits.server";
import { db } from "~/db.server";
import { filmMeetingNotes } from "~/meetings/film-notes.server";
import { joinMeeting, participantMeeting, recordPresence } from "~/meetings/joining.server";
import { meetingOverview, setCountsAsWatched, setPresenter } from "~/meetings/overview.server";
import { recordMeetingPlayback } from "~/meetings/playback.server";
import { endMeeting, mayPresent, MEETING_HOURS, saveAgreement, startMeeting } from "~/meetings/presenting.server";
import { runTrainingJobs } from "~/training/jobs.server";
import { moduleIdBySlug } from "../utils/quizzes";
import { userIdByEmail } from "../utils/requests";
import { dumpTables } from "../utils/table-dump";
import { completeCourseAt } from "../utils/training-progress";
import { organisationIdBySlug, unitIdByName } from "../utils/training";

const { randomIntQueue } = vi.hoisted(() => ({ randomIntQueue: [] as number[] }));
// Codes are random; a test that needs a clash queues the digits the next codes are made of.
vi.mock("node:crypto", async (importOriginal) => {
  const crypto = await importOriginal<typeof NodeCrypto>();
  const randomInt = ((...args: Parameters<typeof crypto.randomInt>) =>
    randomIntQueue.length > 0
      ? randomIntQueue.shift()!
      : (crypto.randomInt as (...a: unknown[]) => number)(...args)) as typeof crypto.randomInt;
  return { ...crypto, default: { ...crypto, randomInt }, randomInt };
});

const FILM = "sofie-ingen-spurgte-til-mig";
const COURSE = "unges-egne-fortaellinger";
const DURATION = 40;
const START = new Date("2027-01-04T13:00:00Z");
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);

const lars = () => userIdByEmail(demoEmails.leader);
const sofie = () => userIdByEmail(demoEmails.learner);
const mette = () => userIdByEmail(demoEmails.healthVisitor);
const hanne = () => userIdByEmail(demoEmails.admin);
const jens = () => userIdByEmail(demoEmails.neighbourLearner);
const demo = () => organisationIdBySlug("demo-kommune");

function film() {
  const id = moduleIdBySlug(FILM);
  db.update(modules).set({ durationSeconds: DURATION }).where(eq(modules.id, id)).run();
  return id;
}

function started(userId = lars(), now = START) {
  const result = startMeeting(userId, film(), now);
  expect(result.status).toBe("started");
  if (result.status !== "started") throw new Error("the meeting did not start");
  return db.select().from(meetingSessions).where(eq(meetingSessions.id, result.sessionId)).get()!;
}

let client = 0;
/** Each join from an address of its own, so only the limit a test is about is ever reached. */
const join = (userId: number, code: string, now = START, address = `10.0.0.${++client}`) =>
  joinMeeting(userId, code, address, now);

/** The presenter playing the whole film at normal speed from `from` seconds after the start, reporting every ten seconds. */
function playThrough(sessionId: number, from = 0) {
  for (let second = 10; second <= DURATION; second += 10) {
    const result = recordMeetingPlayback(
      lars(),
      sessionId,
      { positionSeconds: 0, ranges: [[0, second]] },
      at(from + second),
    );
    expect(result.status).toBe("ok");
  }
}

/** A participant's page beating every 15 seconds from `from` to `to`. */
function beat(userId: number, sessionId: number, from: number, to: number) {
  for (let second = from; second <= to; second += 15) recordPresence(userId, sessionId, at(second));
}

const outcomeOf = (sessionId: number, userId: number) =>
  db
    .select({ outcome: meetingParticipants.outcome })
    .from(meetingParticipants)
    .where(and(eq(meetingParticipants.sessionId, sessionId), eq(meetingParticipants.userId, userId)))
    .get()?.outcome;

const progressOf = (userId: number) =>
  db
    .select()
    .from(moduleProgress)
    .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.moduleId, film())))
    .get();

describe("starting a meeting", () => {
  it("lets leaders and admins present, and staff only once their leader allows it", () => {
    expect(mayPresent(lars(), film(), START)).toBe(true);
    expect(mayPresent(hanne(), film(), START)).toBe(true);
    expect(mayPresent(sofie(), film(), START)).toBe(false);
    expect(startMeeting(sofie(), film(), START)).toEqual({ status: "notAllowed" });

    const unit = { userId: lars(), organisationId: demo(), unitId: unitIdByName("Skovbrynets Børnehus") };
    expect(setPresenter(unit, sofie(), true, START).status).toBe("changed");
    expect(startMeeting(sofie(), film(), START).status).toBe("started");
    expect(setPresenter(unit, sofie(), false, START).status).toBe("changed");
    expect(mayPresent(sofie(), film(), START)).toBe(false);
    // Mette works in another unit: not Lars's to allow.
    expect(setPresenter(unit, mette(), true, START)).toEqual({ status: "notInUnit" });
    expect(mayPresent(mette(), film(), START)).toBe(false);
    // Nabo Kommune holds no licence, so nobody there may show the course.
    expect(mayPresent(jens(), film(), START)).toBe(false);
  });

  it("belongs to the presenter's municipality and unit, with a readable code that expires", () => {
    const session = started();
    expect(session.organisationId).toBe(demo());
    expect(session.unitId).toBe(unitIdByName("Skovbrynets Børnehus"));
    expect(session.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(session.expiresAt.getTime() - START.getTime()).toBe(MEETING_HOURS * 3600_000);
  });

  it("draws a new code when the first is already open, and frees codes of expired meetings", () => {
    randomIntQueue.push(...Array<number>(6).fill(0));
    expect(started().code).toBe("AAAAAA");
    // The same digits again clash with the open meeting; the next code drawn is used instead.
    randomIntQueue.push(...Array<number>(6).fill(0), ...Array<number>(6).fill(1));
    expect(started().code).toBe("BBBBBB");
    // Once both have run out, their codes may be drawn again.
    const later = at(MEETING_HOURS * 3600 + 1);
    randomIntQueue.push(...Array<number>(6).fill(0));
    expect(started(lars(), later).code).toBe("AAAAAA");
    const open = db
      .select()
      .from(meetingSessions)
      .all()
      .filter((row) => row.endedAt == null);
    expect(open.map((row) => row.code)).toEqual(["AAAAAA"]);
  });
});

describe("joining by code", () => {
  it("lets anyone of the municipality with a seat join, whatever their unit", async () => {
    const session = started();
    expect(await join(mette(), session.code)).toEqual({
      status: "joined",
      sessionId: session.id,
    });
    expect(await join(hanne(), session.code)).toMatchObject({ status: "joined" });
    expect(participantMeeting(mette(), session.id, START)).toMatchObject({ open: true, title: expect.any(String) });
    expect(participantMeeting(sofie(), session.id, START)).toBeNull();
  });

  it("answers a code of another municipality as a wrong code", async () => {
    const session = started();
    expect(await join(jens(), session.code)).toEqual({ status: "wrongCode" });
    expect(await join(sofie(), "ZZZZZZ")).toEqual({ status: "wrongCode" });
  });

  it("refuses an ended or expired meeting, and a person without a seat", async () => {
    const ended = started();
    endMeeting(lars(), ended.id, at(60));
    expect(await join(sofie(), ended.code, at(61))).toEqual({ status: "ended" });

    const expiring = started(lars(), at(100));
    expect(await join(sofie(), expiring.code, new Date(expiring.expiresAt.getTime() + 1))).toEqual({
      status: "ended",
    });

    const open = started(lars(), at(200));
    db.update(seats).set({ revokedAt: START }).where(eq(seats.userId, mette())).run();
    expect(await join(mette(), open.code, at(201))).toEqual({ status: "noSeat" });
    expect(db.select().from(meetingParticipants).where(eq(meetingParticipants.userId, mette())).all()).toEqual([]);
  });

  it("limits wrong codes per person, and per client address", async () => {
    const session = started();
    for (let attempt = 0; attempt < 20; attempt++) expect((await join(sofie(), "ZZZZZZ")).status).toBe("wrongCode");
    expect(await join(sofie(), session.code)).toEqual({ status: "tooMany" });
    // A right code gives its try back: Mette's joins never use up her allowance.
    for (let attempt = 0; attempt < 25; attempt++) expect((await join(mette(), session.code)).status).toBe("joined");

    for (let attempt = 0; attempt < 200; attempt++) await consumeAllowance("meetingCodeClient", "10.9.9.9");
    expect(await join(hanne(), session.code, START, "10.9.9.9")).toEqual({ status: "tooMany" });
    expect(await join(hanne(), session.code, START, "10.9.9.8")).toMatchObject({ status: "joined" });
  });
});

describe("the presenter's playback", () => {
  it("takes no more film than the time since the last report allows, and nothing after the end", () => {
    const session = started();
    expect(recordMeetingPlayback(lars(), session.id, { positionSeconds: 0, ranges: [[0, 40]] }, at(5))).toEqual({
      status: "ok",
      playedSeconds: 13,
    });
    expect(recordMeetingPlayback(sofie(), session.id, { positionSeconds: 0, ranges: [[0, 40]] }, at(30))).toEqual({
      status: "notFound",
    });
    endMeeting(lars(), session.id, at(30));
    expect(recordMeetingPlayback(lars(), session.id, { positionSeconds: 0, ranges: [[0, 40]] }, at(31))).toEqual({
      status: "closed",
    });
  });
});

describe("crediting the film when the meeting ends", () => {
  async function meetingWithSofieAndMette() {
    const session = started();
    await join(sofie(), session.code, at(0));
    // Mette comes in halfway through the film.
    await join(mette(), session.code, at(20));
    beat(sofie(), session.id, 0, 45);
    beat(mette(), session.id, 20, 45);
    playThrough(session.id);
    return session;
  }

  it("records 'discussed' when the municipality has not let meetings count as watched", async () => {
    const session = await meetingWithSofieAndMette();
    const before = progressOf(sofie());
    endMeeting(lars(), session.id, at(50));
    expect(outcomeOf(session.id, sofie())).toBe("discussed");
    expect(outcomeOf(session.id, mette())).toBeNull();
    expect(progressOf(sofie())).toEqual(before);
    expect(filmMeetingNotes(sofie(), film(), at(60)).attended).toEqual([
      { outcome: "discussed", endedAt: at(50).getTime() },
    ]);
  });

  it("counts the film as watched when allowed, once, and completes the course it finishes", async () => {
    expect(setCountsAsWatched({ id: hanne() }, demo(), true, START)).toBe("saved");
    completeCourseAt(demoEmails.learner, COURSE, START);
    db.delete(moduleProgress)
      .where(and(eq(moduleProgress.userId, sofie()), eq(moduleProgress.moduleId, film())))
      .run();
    const session = await meetingWithSofieAndMette();

    endMeeting(lars(), session.id, at(50));
    expect(outcomeOf(session.id, sofie())).toBe("watched");
    expect(outcomeOf(session.id, mette())).toBeNull();
    const progress = progressOf(sofie())!;
    expect(progress.watchedAt).toEqual(at(50));
    expect(JSON.parse(progress.playedRanges)).toEqual([[0, 40]]);
    expect(db.select().from(certificates).where(eq(certificates.userId, sofie())).all()).toHaveLength(1);
    expect(progressOf(mette())).toBeUndefined();

    const settled = dumpTables();
    endMeeting(lars(), session.id, at(90));
    expect(dumpTables()).toEqual(settled);
  });

  it("ends and credits a meeting left open past its time when the scheduled job runs, once", async () => {
    const session = await meetingWithSofieAndMette();
    const expiry = at(MEETING_HOURS * 3600);
    const before = await runTrainingJobs(new Date(expiry.getTime() - 1000));
    expect(before.find((outcome) => outcome.step === "closeExpiredMeetings")?.result).toBe(0);
    expect(outcomeOf(session.id, sofie())).toBeNull();

    const after = await runTrainingJobs(expiry);
    expect(after.find((outcome) => outcome.step === "closeExpiredMeetings")?.result).toBe(1);
    expect(db.select().from(meetingSessions).where(eq(meetingSessions.id, session.id)).get()?.endedAt).toEqual(expiry);
    expect(outcomeOf(session.id, sofie())).toBe("discussed");
    const again = await runTrainingJobs(new Date(expiry.getTime() + 5 * 60 * 1000));
    expect(again.find((outcome) => outcome.step === "closeExpiredMeetings")?.result).toBe(0);
  });

  it("counts a fast film from when play was pressed, for someone who came in just before", async () => {
    const session = started();
    await join(sofie(), session.code, at(25));
    beat(sofie(), session.id, 25, 60);
    // Play pressed at 0:30 at double speed: 20 film seconds every 10 wall seconds.
    expect(recordMeetingPlayback(lars(), session.id, { positionSeconds: 0, ranges: [] }, at(30)).status).toBe("ok");
    recordMeetingPlayback(lars(), session.id, { positionSeconds: 20, ranges: [[0, 20]] }, at(40));
    recordMeetingPlayback(lars(), session.id, { positionSeconds: 40, ranges: [[0, 40]] }, at(50));
    endMeeting(lars(), session.id, at(60));
    // Without the moment play was pressed, the first report's 20 seconds would reach back to 0:20.
    expect(outcomeOf(session.id, sofie())).toBe("discussed");
  });

  it("refuses another municipality's admin the switch", () => {
    expect(setCountsAsWatched({ id: userIdByEmail(demoEmails.neighbourAdmin) }, demo(), true, START)).toBe("notFound");
  });

  it("credits nobody whose page stopped beating before the film was through", async () => {
    setCountsAsWatched({ id: hanne() }, demo(), true, START);
    const session = started();
    await join(sofie(), session.code, at(0));
    beat(sofie(), session.id, 0, 10);
    playThrough(session.id);
    endMeeting(lars(), session.id, at(50));
    // Last seen at 0:00 plus 20 seconds' grace: 20 of 40 seconds.
    expect(outcomeOf(session.id, sofie())).toBeNull();
  });

  it("counts a meeting nobody ended when its time runs out and a new one starts", async () => {
    const session = started();
    await join(sofie(), session.code, at(0));
    beat(sofie(), session.id, 0, 45);
    playThrough(session.id);
    started(lars(), new Date(session.expiresAt.getTime() + 1));
    expect(outcomeOf(session.id, sofie())).toBe("discussed");
  });
});

describe("what was agreed", () => {
  it("is written after the end, and shown to participants and the unit, not other units or municipalities", async () => {
    const session = started();
    await join(mette(), session.code, at(0));
    expect(saveAgreement(lars(), session.id, "Vi spørger altid barnet selv.", at(10))).toEqual({ status: "notEnded" });
    endMeeting(lars(), session.id, at(60));
    expect(saveAgreement(sofie(), session.id, "Noget andet", at(70))).toEqual({ status: "notFound" });
    expect(saveAgreement(lars(), session.id, "Vi spørger altid barnet selv.", at(70))).toEqual({ status: "saved" });

    const agreed = [{ id: session.id, text: "Vi spørger altid barnet selv.", endedAt: at(60).getTime() }];
    // Mette took part; Sofie was not there, but the meeting was her unit's.
    expect(filmMeetingNotes(mette(), film(), at(80)).agreements).toEqual(agreed);
    expect(filmMeetingNotes(sofie(), film(), at(80)).agreements).toEqual(agreed);
    // Hanne works in another unit and was not there; Jens is in another municipality.
    expect(filmMeetingNotes(hanne(), film(), at(80)).agreements).toEqual([]);
    expect(filmMeetingNotes(jens(), film(), at(80)).agreements).toEqual([]);

    expect(saveAgreement(lars(), session.id, "Vi spørger barnet selv, og skriver det ned.", at(90)).status).toBe(
      "saved",
    );
    expect(filmMeetingNotes(mette(), film(), at(95)).agreements[0]!.text).toBe(
      "Vi spørger barnet selv, og skriver det ned.",
    );
  });

  it("is listed with attendance in the overviews of the municipality and the unit", async () => {
    const session = started();
    await join(sofie(), session.code, at(0));
    await join(mette(), session.code, at(0));
    beat(sofie(), session.id, 0, 45);
    playThrough(session.id);
    endMeeting(lars(), session.id, at(50));
    const row = { id: session.id, joined: 2, credited: 1, watched: 0, presenter: "Lars Holm", ended: true };
    expect(meetingOverview(demo(), null)).toEqual([expect.objectContaining(row)]);
    expect(meetingOverview(demo(), unitIdByName("Skovbrynets Børnehus"))).toEqual([expect.objectContaining(row)]);
    expect(meetingOverview(demo(), unitIdByName("Sundhedsplejen"))).toEqual([]);
    expect(meetingOverview(organisationIdBySlug("nabo-kommune"), null)).toEqual([]);
  });
});
