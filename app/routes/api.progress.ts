import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { getSessionUser } from "~/auth/session.server";
import { findViewCourse, recordProgress } from "~/learning/progress.server";
import { canAccessCourse } from "~/licensing/access.server";
import { markRoundStarted, recordCourseProgress } from "~/training/cycles.server";

const MAX_BODY_BYTES = 64 * 1024;

const reportSchema = z.object({
  viewId: z.string().min(1).max(512),
  ranges: z.array(z.tuple([z.number().finite(), z.number().finite()])).max(2000),
  positionSeconds: z.number().finite(),
  ended: z.boolean().default(false),
});

const problem = (status: number, message: string) =>
  json({ message }, { status, headers: { "Cache-Control": "no-store" } });

/** Where the player reports what it has played (by fetch, or by sendBeacon when the page is hidden). */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "Kun POST er tilladt.");
  const user = await getSessionUser(request);
  if (!user) return problem(401, "Du er ikke logget ind.");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES)
    return problem(413, "Rapporten er for stor.");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return problem(413, "Rapporten er for stor.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return problem(400, "Rapporten er ikke gyldig JSON.");
  }
  const report = reportSchema.safeParse(body);
  if (!report.success) return problem(400, "Rapporten har et forkert format.");
  const courseId = findViewCourse(report.data.viewId, user.id);
  if (courseId == null) return problem(404, "Visningen findes ikke. Genindlæs siden.");
  if (!canAccessCourse(user, courseId)) return problem(403, "Du har ikke længere adgang til dette kursus.");
  const result = recordProgress(user.id, report.data);
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
