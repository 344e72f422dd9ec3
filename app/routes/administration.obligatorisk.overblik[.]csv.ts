import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { translator } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { peopleScope } from "~/licensing/people.server";
import { recordAccess } from "~/privacy/access-log.server";
import { complianceCsv } from "~/training/compliance.server";
import { idFromPath } from "~/utils/form-schema";
import { invariantResponse, privateFileHeaders } from "~/utils/http.server";

/**
 * The mandatory-course overview as a CSV file, one line per person and course: an admin's own
 * municipality, or a leader's own unit, only.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const search = new URL(request.url).searchParams;
  const scope = peopleScope(user, Number(search.get("organisation")), null);
  invariantResponse(scope, "notFound.list", { status: 404 });
  // The one write a loader may make: the access log notes that a list of named people left the platform.
  recordAccess({ viewerId: user.id, organisationId: scope.organisationId, action: "exportCompliance", format: "csv" });
  const t = translator(await getLanguage(request));
  // A course not among the scope's simply has no lines; the scope already bounds what can be seen.
  const csv = complianceCsv(scope, t, new Date(), { courseId: idFromPath(search.get("kursus")) });
  const name = `obligatoriske-kurser-${scope.organisationId}${scope.unitId ? `-enhed-${scope.unitId}` : ""}.csv`;
  return new Response(csv, { headers: privateFileHeaders("text/csv; charset=utf-8", name) });
}
