import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { AssignmentForm } from "~/components/assignment-form";
import { AssignmentList } from "~/components/assignment-list";
import { OrganisationSwitcher } from "~/components/organisation-switcher";
import { danishDate } from "~/i18n/dates";
import { pageTitle, useT } from "~/i18n/i18n";
import { requestedOrganisation } from "~/licensing/overview.server";
import { handleAssignmentForm } from "~/training/assignment-actions.server";
import { assignableUnits, assignmentsFor, licensedCourses } from "~/training/assignments.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "training.admin.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const { organisation, organisations } = requestedOrganisation(user, request);
  return json(
    {
      organisation,
      organisations,
      courses: licensedCourses(organisation.id),
      units: assignableUnits(user, organisation.id),
      assignments: assignmentsFor(user, organisation.id),
      today: danishDate(),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  return handleAssignmentForm(user, await readForm(request));
}

export default function MandatoryTraining() {
  const t = useT();
  const { organisation, organisations, courses, units, assignments, today } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/administration">{t("admin.back")}</Link>
      </p>
      <h1>{t("training.admin.title")}</h1>
      <p className="lead">{t("training.admin.intro", { organisation: organisation.name })}</p>
      <OrganisationSwitcher
        organisations={organisations}
        currentId={organisation.id}
        label={t("training.admin.organisations")}
      />
      <nav aria-label={t("training.admin.toolsLabel")} className="button-row">
        <Link
          to={`/administration/obligatorisk/overblik?organisation=${organisation.id}`}
          className="button button--secondary"
        >
          {t("training.admin.overviewLink")}
        </Link>
        <Link
          to={`/administration/obligatorisk/paamindelser?organisation=${organisation.id}`}
          className="button button--secondary"
        >
          {t("training.admin.remindersLink")}
        </Link>
      </nav>
      {courses.length === 0 ? (
        <p className="notice">{t("training.admin.noCourses")}</p>
      ) : (
        <AssignmentForm organisationId={organisation.id} courses={courses} units={units} leader={false} today={today} />
      )}
      <AssignmentList organisationId={organisation.id} assignments={assignments} />
    </div>
  );
}
