import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth/session.server";
import { translator } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { requestedOrganisation } from "~/licensing/overview.server";
import { recordAccess } from "~/privacy/access-log.server";
import { accessLogCsv, parseAccessLogFilter } from "~/privacy/access-log-view.server";
import { invariantResponse, privateFileHeaders } from "~/utils/http.server";

/** The municipality's access log as a CSV file, every row the page's filter matches. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation } = requestedOrganisation(user, request);
  const filter = parseAccessLogFilter(new URL(request.url).searchParams);
  invariantResponse(filter, "accessLog.filterUnreadable");
  // The one write a loader may make: exporting the log is itself noted in it, before the rows are read.
  recordAccess({ viewerId: user.id, organisationId: organisation.id, action: "exportAccessLog", format: "csv" });
  const language = await getLanguage(request);
  const csv = accessLogCsv(organisation.id, filter, translator(language), language);
  return new Response(csv, {
    headers: privateFileHeaders("text/csv; charset=utf-8", `adgangslog-${organisation.id}.csv`),
  });
}
