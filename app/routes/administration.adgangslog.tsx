import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { accessLogActions } from "#db/schema";
import { requireAdmin } from "~/auth/session.server";
import { OrganisationSwitcher } from "~/components/organisation-switcher";
import { ScrollingTable } from "~/components/scrolling-table";
import { getEnv } from "~/env.server";
import { formatDateTime, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { requestedOrganisation } from "~/licensing/overview.server";
import { recordAccess } from "~/privacy/access-log.server";
import { ACCESS_LOG_PAGE_ROWS, accessActionLabels } from "~/privacy/access-actions";
import { accessLogOf, parseAccessLogFilter } from "~/privacy/access-log-view.server";
import { invariantResponse } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "accessLog.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation, organisations } = requestedOrganisation(user, request);
  const filter = parseAccessLogFilter(new URL(request.url).searchParams);
  invariantResponse(filter, "accessLog.filterUnreadable");
  // The one write a loader may make: reading the log is itself noted in it, before the rows are read.
  recordAccess({ viewerId: user.id, organisationId: organisation.id, action: "viewAccessLog" });
  return json(
    {
      organisation,
      organisations,
      filter,
      rows: accessLogOf(organisation.id, filter, ACCESS_LOG_PAGE_ROWS + 1),
      retentionMonths: getEnv().ACCESS_LOG_RETENTION_MONTHS,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function AccessLog() {
  const t = useT();
  const language = useLanguage();
  const { organisation, organisations, filter, rows, retentionMonths } = useLoaderData<typeof loader>();
  const query = new URLSearchParams({ organisation: String(organisation.id) });
  for (const [name, value] of Object.entries(filter)) if (value) query.set(name, value);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/administration">{t("accessLog.back")}</Link>
      </p>
      <h1>{t("accessLog.title")}</h1>
      <p className="lead">{t("accessLog.intro", { organisation: organisation.name, months: retentionMonths })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("accessLog.organisations")}
      />
      <Form method="get" className="filter-form card" aria-label={t("accessLog.filter")}>
        <input type="hidden" name="organisation" value={organisation.id} />
        <label htmlFor="access-log-action">{t("accessLog.column.action")}</label>
        <select id="access-log-action" name="action" defaultValue={filter.action ?? ""}>
          <option value="">{t("accessLog.allActions")}</option>
          {accessLogActions.map((action) => (
            <option key={action} value={action}>
              {t(accessActionLabels[action])}
            </option>
          ))}
        </select>
        <label htmlFor="access-log-from">{t("accessLog.from")}</label>
        <input id="access-log-from" type="date" name="from" defaultValue={filter.from ?? ""} />
        <label htmlFor="access-log-to">{t("accessLog.to")}</label>
        <input id="access-log-to" type="date" name="to" defaultValue={filter.to ?? ""} />
        <button type="submit" className="button button--secondary">
          {t("accessLog.show")}
        </button>
        <a href={`/administration/adgangslog.csv?${query}`} className="button button--secondary" download>
          {t("accessLog.exportCsv")}
        </a>
      </Form>
      {rows.length > ACCESS_LOG_PAGE_ROWS ? (
        <p className="notice">{t("accessLog.limited", { rows: ACCESS_LOG_PAGE_ROWS })}</p>
      ) : null}
      {rows.length === 0 ? (
        <p>{t("accessLog.empty")}</p>
      ) : (
        <ScrollingTable label={t("accessLog.title")}>
          <thead>
            <tr>
              <th scope="col">{t("accessLog.column.when")}</th>
              <th scope="col">{t("accessLog.column.viewer")}</th>
              <th scope="col">{t("accessLog.column.action")}</th>
              <th scope="col">{t("accessLog.column.format")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, ACCESS_LOG_PAGE_ROWS).map((row) => (
              <tr key={row.id}>
                <td>{formatDateTime(language, new Date(row.at))}</td>
                <td>{row.viewerName ?? t("accessLog.deletedViewer")}</td>
                <td>{t(accessActionLabels[row.action])}</td>
                <td>{row.format ? row.format.toUpperCase() : "–"}</td>
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      )}
    </div>
  );
}
