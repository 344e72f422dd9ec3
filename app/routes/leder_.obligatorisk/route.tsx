import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { AssignmentForm } from "~/components/assignment-form";
import { AssignmentList } from "~/components/assignment-list";
import { danishDate } from "~/i18n/dates";
import { pageTitle, useT } from "~/i18n/i18n";
import { ledUnits } from "~/licensing/people.server";
import { handleAssignmentForm } from "~/training/assignment-actions.server";
import { assignableUnits, assignmentsFor, licensedCourses } from "~/training/assignments.server";
import { invariantResponse, readForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "training.leader.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** A leader makes courses mandatory for their own unit, per municipality they lead a unit in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const units = ledUnits(user);
  invariantResponse(units.length > 0, "forbidden.leadersOnly", { status: 403 });
  return json(
    {
      today: danishDate(),
      units: units.map((unit) => ({
        ...unit,
        courses: licensedCourses(unit.organisationId),
        assignable: assignableUnits(user, unit.organisationId),
        assignments: assignmentsFor(user, unit.organisationId),
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  invariantResponse(ledUnits(user).length > 0, "forbidden.leadersOnly", { status: 403 });
  return handleAssignmentForm(user, await readForm(request));
}

export default function LeaderMandatoryTraining() {
  const t = useT();
  const { units, today } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/leder">{t("training.leader.back")}</Link>
      </p>
      <h1>{t("training.leader.title")}</h1>
      <p className="lead">{t("training.leader.intro")}</p>
      <p>
        <Link to="/leder/obligatorisk/overblik">{t("training.leader.overviewLink")}</Link>
      </p>
      {units.map((unit) => (
        <section key={unit.unitId} aria-label={unit.unitName}>
          {unit.courses.length === 0 ? (
            <p className="notice">{t("training.admin.noCourses")}</p>
          ) : (
            <AssignmentForm
              organisationId={unit.organisationId}
              courses={unit.courses}
              units={unit.assignable}
              leader
              today={today}
            />
          )}
          <AssignmentList organisationId={unit.organisationId} assignments={unit.assignments} />
        </section>
      ))}
    </div>
  );
}
