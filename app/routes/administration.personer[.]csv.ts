import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { translator } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { parseStatusFilter, peopleOverview, peopleScope } from "~/licensing/people.server";
import { recordAccess } from "~/privacy/access-log.server";
import { toCsv } from "~/utils/csv.server";
import { invariantResponse, privateFileHeaders } from "~/utils/http.server";

/** The people table as a CSV file: an admin's own municipality, or a leader's own unit, only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const scope = peopleScope(user, Number(url.searchParams.get("organisation")), url.searchParams.get("unit"));
  invariantResponse(scope, "notFound.list", { status: 404 });
  // The one write a loader may make: the access log notes that the list of people left the platform.
  recordAccess({ viewerId: user.id, organisationId: scope.organisationId, action: "exportPeople", format: "csv" });
  const status = parseStatusFilter(url.searchParams.get("status"));
  const t = translator(await getLanguage(request));
  const rows = peopleOverview(scope.organisationId, { status, unitId: scope.unitId }).map((person) => [
    person.name,
    person.email,
    person.unitName ?? "",
    person.hasSeat ? t("admin.seat.yes") : t("admin.seat.no"),
    person.filmsWatched,
    person.filmsTotal,
    person.coursesCompleted,
    person.coursesTotal,
    person.lastActivity ? person.lastActivity.toISOString() : "",
    t(`admin.status.${person.status}`),
  ]);
  const csv = toCsv(
    [
      t("admin.column.person"),
      t("signIn.email"),
      t("admin.column.unit"),
      t("admin.column.seat"),
      t("admin.column.films"),
      t("admin.csv.filmsTotal"),
      t("admin.column.courses"),
      t("admin.csv.coursesTotal"),
      t("admin.column.lastActivity"),
      t("admin.column.status"),
    ],
    rows,
  );
  const name = `medarbejdere-${scope.organisationId}${scope.unitId ? `-enhed-${scope.unitId}` : ""}.csv`;
  return new Response(csv, { headers: privateFileHeaders("text/csv; charset=utf-8", name) });
}
