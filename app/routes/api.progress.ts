import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getSessionUser } from "~/auth/session.server";
import { progressProblem as problem, readProgressReport } from "~/learning/progress-report.server";
import { findViewCourse, recordProgress } from "~/learning/progress.server";
import { canAccessCourse } from "~/licensing/access.server";
import { markRoundStarted, recordCourseProgress } from "~/training/cycles.server";

/** Where the player reports what it has played (by fetch, or by sendBeacon when the page is hidden). */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Kun POST er tilladt.");
  const user = await getSessionUser(request);
  if (!user) return problem(401, "Du er ikke logget ind.");
  const report = await readProgressReport(request);
  if (report instanceof Response) return report;
  const courseId = findViewCourse(report.viewId, user.id);
  if (courseId == null) return problem(404, "Visningen findes ikke. Genindlæs siden.");
  if (!canAccessCourse(user, courseId)) return problem(403, "Du har ikke længere adgang til dette kursus.");
  const result = recordProgress(user.id, report);
  if (result.status === "unknownView") return problem(404, "Visningen findes ikke. Genindlæs siden.");
  // The film now watched may have been the course's last step: the certificate is issued as it is earned
  // and a mandatory round completed. The first seconds credited on a film mark the round as begun: one
  // write then, not on every report, so the hot path stays a single upsert.
  if (result.becameWatched) recordCourseProgress(user.id, courseId);
  else if (result.firstProgress) markRoundStarted(user.id, courseId);
  return json(result.progress, { headers: { "Cache-Control": "no-store" } });
}

export async function loader() {
  return problem(405, "Kun POST er tilladt.");
}
