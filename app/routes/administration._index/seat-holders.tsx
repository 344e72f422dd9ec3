import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { formatDate, useLanguage, useT } from "~/i18n/i18n";
import { reassignSeatSchema } from "~/licensing/forms";
import { useReplyForm } from "~/utils/form-reply";
import type { LicenceData } from "./route";
import { ActionsColumnHeader } from "~/components/actions-column-header";

type Holder = LicenceData["holders"][number];

function ReassignForm({ holder }: { holder: Holder }) {
  const t = useT();
  const formId = `reassign-${holder.seatId}`;
  const { reply, form, fields } = useReplyForm(formId, reassignSeatSchema, {
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <details className="reassign" open={reply ? true : undefined}>
      <summary>{t("admin.reassign")}</summary>
      <Form method="post" {...getFormProps(form)} className="form">
        <FormMessage reply={reply} id={form.errorId} />
        <input type="hidden" name="intent" value="reassign" />
        <input type="hidden" name="seatId" value={holder.seatId} />
        <Field
          field={fields.email}
          label={t("admin.reassignTo", { name: holder.name })}
          type="email"
          autoComplete="off"
        />
        <button type="submit" className="button button--secondary">
          {t("admin.reassignSubmit")}
        </button>
      </Form>
    </details>
  );
}

/** Who holds the licence's seats, each with a button to take the seat back and a form to give it to someone else. */
export function SeatHolders({ licence }: { licence: LicenceData }) {
  const t = useT();
  const language = useLanguage();
  return (
    <>
      <h3>{t("admin.holdersHeading")}</h3>
      {/* What the last revoke or reassign on this licence's seats was told. */}
      <FormMessage formId={`seats-${licence.id}`} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("admin.column.person")}</th>
            <th scope="col">{t("admin.column.since")}</th>
            <ActionsColumnHeader />
          </tr>
        </thead>
        <tbody>
          {licence.holders.map((holder) => (
            <tr key={holder.seatId}>
              <td>
                {holder.name}
                <br />
                <span className="course-card__meta email">{holder.email}</span>
              </td>
              <td>{formatDate(language, new Date(holder.claimedAt))}</td>
              <td>
                <OneButtonForm
                  fields={{ intent: "revoke", seatId: holder.seatId }}
                  label={t("admin.revokeFor", { name: holder.name })}
                >
                  {t("admin.revoke")}
                </OneButtonForm>
                {/* The person given the seat could not take it while the licence is ended or suspended. */}
                {licence.suspended || licence.ended ? null : <ReassignForm holder={holder} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
