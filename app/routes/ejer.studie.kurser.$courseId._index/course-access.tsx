import { getCollectionProps, getFormProps } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import { grantAccessSchema } from "~/catalog/studio-forms";
import { FieldErrors } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { usePageAction } from "~/components/studio-controls";
import { formatDay, useLanguage, useT } from "~/i18n/i18n";
import { useReplyForm } from "~/utils/form-reply";
import type { CoursePageData } from "./route";

type Licence = CoursePageData["licences"][number];

/** A licence in words, with what tells it apart from another of the same municipality, period and size. */
function useDescribeLicence() {
  const t = useT();
  const language = useLanguage();
  return (licence: Licence) =>
    [
      t("studio.licenceLine", {
        organisation: licence.organisationName,
        from: formatDay(language, licence.startsOn),
        to: formatDay(language, licence.endsOn),
        seats: licence.seatCount,
      }),
      licence.planName ?? t("studio.licenceWithoutPlan"),
      licence.orderReference ? t("studio.licenceOrder", { reference: licence.orderReference }) : null,
      t("studio.licenceNumber", { id: licence.id }),
    ]
      .filter(Boolean)
      .join(" · ");
}

function AccessForm({ licences }: { licences: Licence[] }) {
  const t = useT();
  const describe = useDescribeLicence();
  const pageAction = usePageAction();
  const { reply, form, fields } = useReplyForm("grantAccess", grantAccessSchema, {
    shouldValidate: "onSubmit",
  });
  const included = licences.filter((licence) => licence.includesCourse);
  const open = licences.filter((licence) => !licence.includesCourse);
  const checkboxes = getCollectionProps(fields.licenceIds, {
    type: "checkbox",
    options: open.map((licence) => String(licence.id)),
    ariaAttributes: false,
  });
  return (
    <>
      <FormMessage reply={reply} id={form.errorId} />
      <h3>{t("studio.licencesWith")}</h3>
      {included.length === 0 ? (
        <p>{t("studio.licencesWithNone")}</p>
      ) : (
        <ul>
          {included.map((licence) => (
            <li key={licence.id}>{describe(licence)}</li>
          ))}
        </ul>
      )}
      <h3>{t("studio.licencesWithout")}</h3>
      {open.length === 0 ? (
        <p>{t("studio.licencesWithoutNone")}</p>
      ) : (
        <Form method="post" action={pageAction} {...getFormProps(form)} className="form">
          <input type="hidden" name="intent" value="grantAccess" />
          <fieldset
            className="field"
            aria-describedby={fields.licenceIds.errors ? fields.licenceIds.errorId : undefined}
          >
            <legend>{t("studio.licencesLegend")}</legend>
            {checkboxes.map(({ key, ...props }, index) => (
              <div className="checkbox" key={key}>
                <input {...props} />
                <label htmlFor={props.id}>{describe(open[index]!)}</label>
              </div>
            ))}
            <FieldErrors field={fields.licenceIds} />
          </fieldset>
          <div>
            <button type="submit" className="button">
              {t("studio.giveAccess")}
            </button>
          </div>
        </Form>
      )}
    </>
  );
}

/** Who can see the course: the licences given it, the form that gives it to more, and the plans that sell it. */
export function CourseAccess({ licences, plans }: { licences: Licence[]; plans: CoursePageData["plans"] }) {
  const t = useT();
  const plansWith = plans.filter((plan) => plan.includesCourse);
  return (
    <section className="card admin-licence" aria-labelledby="access-heading">
      <h2 id="access-heading">{t("studio.accessHeading")}</h2>
      <p>{t("studio.accessIntro")}</p>
      <AccessForm licences={licences} />
      <h3>{t("studio.plansWith")}</h3>
      {plansWith.length === 0 ? (
        <p>{t("studio.plansWithNone")}</p>
      ) : (
        <ul>
          {plansWith.map((plan) => (
            <li key={plan.id}>
              {plan.name} ({t(plan.active ? "plans.onSale" : "plans.offSale").toLowerCase()})
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/ejer/priser">{t("studio.plansLink")}</Link>
      </p>
    </section>
  );
}
