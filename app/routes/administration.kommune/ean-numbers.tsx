import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { useT } from "~/i18n/i18n";
import { addEanSchema } from "~/licensing/organisation-forms";
import { useReplyForm } from "~/utils/form-reply";
import type { Organisation } from "./route";
import { ActionsColumnHeader } from "~/components/actions-column-header";

function AddEanForm({ organisationId }: { organisationId: number }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm("add-ean", addEanSchema, {
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <h3>{t("org.addEan")}</h3>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="addEan" />
      <input type="hidden" name="organisationId" value={organisationId} />
      <Field field={fields.ean} label={t("org.ean")} hint={t("order.eanHint")} type="text" />
      <Field field={fields.label} label={t("org.eanLabel")} type="text" />
      <div>
        <button type="submit" className="button button--secondary">
          {t("org.addEanSubmit")}
        </button>
      </div>
    </Form>
  );
}

/** The EAN numbers invoices can be sent to; the last one cannot be removed. */
export function EanNumbers({ organisation }: { organisation: Organisation }) {
  const t = useT();
  return (
    <section className="card admin-licence" aria-labelledby="eans-heading">
      <h2 id="eans-heading">{t("org.eansHeading")}</h2>
      <FormMessage formId="eans" />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("org.ean")}</th>
            <th scope="col">{t("org.eanLabel")}</th>
            <ActionsColumnHeader />
          </tr>
        </thead>
        <tbody>
          {organisation.eans.map((location) => (
            <tr key={location.ean}>
              <td>{location.ean}</td>
              <td>{location.label}</td>
              <td>
                {organisation.eans.length > 1 ? (
                  <OneButtonForm
                    fields={{ intent: "removeEan", organisationId: organisation.id, ean: location.ean }}
                    label={t("org.removeEanFor", { ean: location.ean })}
                  >
                    {t("org.remove")}
                  </OneButtonForm>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddEanForm organisationId={organisation.id} />
    </section>
  );
}
