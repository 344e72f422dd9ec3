import { eq } from "drizzle-orm";
import { meetingParticipants, meetingSessions, modules } from "#db/schema";
import { db } from "~/db.server";
import { startMeeting } from "~/meetings/presenting.server";
import { userIdByEmail } from "../../utils/requests";
import { organisationIdBySlug } from "../../utils/training";
import { adminsOnly, MODULE, ownMunicipalityOnly, personas, signedIn, type Check, type Expected } from "./checks";

const moduleId = () => db.select({ id: modules.id }).from(modules).where(eq(modules.slug, MODULE)).get()!.id;

/** Lars's open meeting, which Sofie has joined; made once, as the first check asks for it. */
function meetingId() {
  const open = db
    .select({ id: meetingSessions.id })
    .from(meetingSessions)
    .where(eq(meetingSessions.presenterId, userIdByEmail(personas.leader)))
    .get();
  if (open) return String(open.id);
  const started = startMeeting(userIdByEmail(personas.leader), moduleId());
  if (started.status !== "started") throw new Error("the fixture meeting did not start");
  const now = new Date();
  db.insert(meetingParticipants)
    .values({ sessionId: started.sessionId, userId: userIdByEmail(personas.learner), joinedAt: now, lastSeenAt: now })
    .run();
  return String(started.sessionId);
}

const only = (persona: "leader" | "learner", status: number, others = 404): Expected => ({
  ...signedIn(others),
  [persona]: status,
});
const leadersOnly: Expected = { ...signedIn(403), leader: 200 };

export const meetingChecks: Check[] = [
  { route: "moede._index.tsx", method: "loader", url: () => "/moede?kode=ABCDEF", expected: signedIn(200) },
  {
    // A code nobody's meeting has: everyone signed in gets as far as the refusal beside the field.
    route: "moede._index.tsx",
    method: "action",
    url: () => "/moede",
    form: () => ({ code: "ZZZZZZ" }),
    expected: signedIn(404),
  },
  {
    route: "moede.ny.ts",
    method: "action",
    url: () => "/moede/ny",
    form: () => ({ moduleId: String(moduleId()) }),
    expected: { ...signedIn(403), leader: 302, admin: 302 },
  },
  {
    route: "moede.$sessionId._index/route.tsx",
    method: "loader",
    url: () => `/moede/${meetingId()}`,
    params: () => ({ sessionId: meetingId() }),
    expected: only("leader", 200),
  },
  {
    // The meeting is still open: its presenter is told to end it first, everyone else that it does not exist.
    route: "moede.$sessionId._index/route.tsx",
    method: "action",
    url: () => `/moede/${meetingId()}`,
    params: () => ({ sessionId: meetingId() }),
    form: () => ({ intent: "agreement", agreement: "Vi spørger barnet." }),
    expected: only("leader", 409),
  },
  {
    route: "moede.$sessionId.deltagere.ts",
    method: "loader",
    url: () => `/moede/${meetingId()}/deltagere`,
    params: () => ({ sessionId: meetingId() }),
    expected: only("leader", 200),
  },
  {
    route: "moede.$sessionId.deltager.tsx",
    method: "loader",
    url: () => `/moede/${meetingId()}/deltager`,
    params: () => ({ sessionId: meetingId() }),
    expected: only("learner", 200),
  },
  {
    route: "moede.$sessionId.tilstede.ts",
    method: "action",
    url: () => `/moede/${meetingId()}/tilstede`,
    params: () => ({ sessionId: meetingId() }),
    form: () => ({}),
    expected: { ...only("learner", 200), anonymous: 401 },
  },
  {
    route: "moede.$sessionId.tilstede.ts",
    method: "loader",
    url: () => `/moede/${meetingId()}/tilstede`,
    expected: { ...signedIn(405), anonymous: 405 },
  },
  {
    // A form is not the player's JSON report: refused as bad input by everyone signed in.
    route: "moede.$sessionId.afspilning.ts",
    method: "action",
    url: () => `/moede/${meetingId()}/afspilning`,
    params: () => ({ sessionId: meetingId() }),
    form: () => ({}),
    expected: { ...signedIn(400), anonymous: 401 },
  },
  {
    route: "moede.$sessionId.afspilning.ts",
    method: "loader",
    url: () => `/moede/${meetingId()}/afspilning`,
    expected: { ...signedIn(405), anonymous: 405 },
  },
  {
    route: "administration.personalemoeder.tsx",
    method: "loader",
    url: () => "/administration/personalemoeder",
    expected: adminsOnly,
  },
  {
    route: "administration.personalemoeder.tsx",
    method: "loader",
    url: () => `/administration/personalemoeder?organisation=${organisationIdBySlug("demo-kommune")}`,
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.personalemoeder.tsx",
    method: "action",
    url: () => "/administration/personalemoeder",
    form: () => ({ organisationId: String(organisationIdBySlug("demo-kommune")) }),
    expected: { ...ownMunicipalityOnly, otherAdmin: 404 },
  },
  { route: "leder_.personalemoeder.tsx", method: "loader", url: () => "/leder/personalemoeder", expected: leadersOnly },
  {
    route: "leder_.personalemoeder.tsx",
    method: "action",
    url: () => "/leder/personalemoeder",
    form: () => ({ intent: "allow", userId: String(userIdByEmail(personas.learner)) }),
    expected: leadersOnly,
  },
];
