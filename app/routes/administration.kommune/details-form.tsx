import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormMessage } from "~/components/form-message";
import { OrganisationFields } from "~/components/organisation-fields";
import { useT } from "~/i18n/i18n";
import { organisationDetailsSchema } from "~/licensing/organisation-forms";
import { useReplyForm } from "~/utils/form-reply";
import type { Organisation } from "./route";

/** The municipality as it is invoiced: CVR, address and invoice e-mail. */
export function DetailsForm({ organisation }: { organisation: Organisation }) {
  const t = useT();
  const { reply, form, fields } = useReplyForm("organisation-details", organisationDetailsSchema, {
    defaultValue: { ...organisation.details, organisationId: String(organisation.id), intent: "details" },
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card">
      <h2>{t("order.buyerHeading")}</h2>
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value="details" />
      <input type="hidden" name="organisationId" value={organisation.id} />
      <OrganisationFields fields={fields} />
      <div>
        <button type="submit" className="button">
          {t("org.save")}
        </button>
      </div>
    </Form>
  );
}
