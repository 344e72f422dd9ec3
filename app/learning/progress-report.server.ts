import { json } from "@remix-run/node";
import { z } from "zod";
import type { ProgressReport } from "./played-ranges";

const MAX_BODY_BYTES = 64 * 1024;

const reportSchema = z.object({
  viewId: z.string().min(1).max(512),
  ranges: z.array(z.tuple([z.number().finite(), z.number().finite()])).max(2000),
  positionSeconds: z.number().finite(),
  ended: z.boolean().default(false),
});

export const progressProblem = (status: number, message: string) =>
  json({ message }, { status, headers: { "Cache-Control": "no-store" } });

/**
 * The player's report of what it played (by fetch, or by sendBeacon when the page is hidden), read
 * the same way wherever it is sent: a learner's own progress, or a staff meeting's playback.
 * Anything else is the 4xx response to send back.
 */
export async function readProgressReport(request: Request): Promise<ProgressReport | Response> {
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES)
    return progressProblem(413, "Rapporten er for stor.");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return progressProblem(413, "Rapporten er for stor.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return progressProblem(400, "Rapporten er ikke gyldig JSON.");
  }
  const report = reportSchema.safeParse(body);
  return report.success ? report.data : progressProblem(400, "Rapporten har et forkert format.");
}
