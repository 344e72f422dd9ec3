import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { translator } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { administeredOrganisations } from "~/licensing/overview.server";
import { parseStatusFilter, peopleOverview, toCsv } from "~/licensing/people.server";
import { invariantResponse } from "~/utils/http.server";

/** The people table of the administration page as a CSV file, for the admin's own municipality only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const organisation = administeredOrganisations(user).find((o) => String(o.id) === url.searchParams.get("organisation"));
  invariantResponse(organisation, "Listen findes ikke.", { status: 404 });
  const status = parseStatusFilter(url.searchParams.get("status"));
  const t = translator(await getLanguage(request));
  const rows = peopleOverview(organisation.id, status).map((person) => [
      person.name,
      person.email,
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
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="medarbejdere-${organisation.id}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
