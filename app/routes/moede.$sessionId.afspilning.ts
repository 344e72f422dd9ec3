import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getSessionUser } from "~/auth/session.server";
import { progressProblem as problem, readProgressReport } from "~/learning/progress-report.server";
import { recordMeetingPlayback } from "~/meetings/playback.server";
import { idFromPath } from "~/utils/form-schema";

/** Where the presenter's player reports what it played at the meeting, as the learner's player reports to /api/progress. */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Kun POST er tilladt.");
  const user = await getSessionUser(request);
  if (!user) return problem(401, "Du er ikke logget ind.");
  const sessionId = idFromPath(params.sessionId);
  if (sessionId == null) return problem(404, "Mødet findes ikke.");
  const report = await readProgressReport(request);
  if (report instanceof Response) return report;
  const result = recordMeetingPlayback(user.id, sessionId, report);
  if (result.status === "notFound") return problem(404, "Mødet findes ikke.");
  if (result.status === "closed") return problem(409, "Mødet er afsluttet.");
  return json({ playedSeconds: result.playedSeconds }, { headers: { "Cache-Control": "no-store" } });
}

export async function loader() {
  return problem(405, "Kun POST er tilladt.");
}
