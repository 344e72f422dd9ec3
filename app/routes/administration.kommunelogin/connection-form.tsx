import { getCollectionProps, getFormProps, type FieldMetadata } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { CheckboxField, Field, FieldErrors, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { formatDateTime, useLanguage, useT } from "~/i18n/i18n";
import { defaultSsoClaimMap, type SsoSeatPolicy } from "#db/schema";
import { oidcConnectionSchema } from "~/sso/forms";
import { useReplyForm } from "~/utils/form-reply";
import type { ConnectionPage } from "./route";

/** The test's answer is shown above the form too: it is about what the form holds. */
export const connectionFormId = "sso-connection";

export const claimFields = [
  ["claimEmail", "sso.admin.claimEmail"],
  ["claimName", "sso.admin.claimName"],
  ["claimUnit", "sso.admin.claimUnit"],
  ["claimProfession", "sso.admin.claimProfession"],
  ["claimGroups", "sso.admin.claimGroups"],
] as const;

/** When the connection was last tested, and whether it worked. */
export function LastTest({ connection }: { connection: ConnectionPage["connection"] }) {
  const t = useT();
  const language = useLanguage();
  if (!connection.lastTestedAt) return null;
  const time = formatDateTime(language, new Date(connection.lastTestedAt));
  return <p>{t(connection.lastTestOk ? "sso.admin.lastTestOk" : "sso.admin.lastTestFailed", { time })}</p>;
}

/** Whether a first sign-in takes a seat at once or waits for the admin. */
export function SeatPolicyField({ field }: { field: FieldMetadata<SsoSeatPolicy> }) {
  const t = useT();
  const seatPolicies = getCollectionProps(field, {
    type: "radio",
    options: ["auto", "approval"],
    ariaAttributes: false,
  });
  const seatPolicyLabels = { auto: t("sso.admin.seatPolicyAuto"), approval: t("sso.admin.seatPolicyApproval") };
  return (
    <fieldset aria-describedby={field.errors ? field.errorId : undefined}>
      <legend>{t("sso.admin.seatPolicy")}</legend>
      {seatPolicies.map(({ key, ...props }) => (
        <div className="checkbox" key={key}>
          <input {...props} />
          <label htmlFor={props.id}>{seatPolicyLabels[props.value as keyof typeof seatPolicyLabels]}</label>
        </div>
      ))}
      <FieldErrors field={field} />
    </fieldset>
  );
}

/** The OpenID Connect settings; the stored secret is never sent to the page, only whether there is one. */
export function ConnectionForm({ page }: { page: ConnectionPage }) {
  const t = useT();
  const { organisation, connection } = page;
  const isOidc = page.protocol === "oidc";
  // A SAML connection's attribute names mean nothing to an OpenID provider.
  const claimMap = isOidc ? connection.claimMap : defaultSsoClaimMap;
  const { reply, form, fields } = useReplyForm(connectionFormId, oidcConnectionSchema, {
    defaultValue: {
      intent: "save",
      organisationId: String(organisation.id),
      issuer: connection.issuer,
      clientId: connection.clientId,
      claimEmail: claimMap.email,
      claimName: claimMap.name,
      claimUnit: claimMap.unit,
      claimProfession: claimMap.profession,
      claimGroups: claimMap.groups,
      leaderGroups: connection.leaderGroups.join("\n"),
      adminGroups: connection.adminGroups.join("\n"),
      seatPolicy: connection.seatPolicy,
      enabled: isOidc && connection.enabled ? "on" : undefined,
    },
    shouldValidate: "onBlur",
  });
  return (
    <section className="card">
      <h2>{t("sso.admin.formHeading")}</h2>
      <FormMessage reply={reply} id={form.errorId} />
      {isOidc ? <LastTest connection={connection} /> : null}
      <Form method="post" {...getFormProps(form)} className="form">
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="organisationId" value={organisation.id} />
        <Field field={fields.issuer} label={t("sso.admin.issuer")} hint={t("sso.admin.issuerHint")} type="text" />
        <Field field={fields.clientId} label={t("sso.admin.clientId")} type="text" autoComplete="off" />
        <Field
          field={fields.clientSecret}
          label={t("sso.admin.clientSecret")}
          hint={connection.secretStored ? t("sso.admin.secretStored") : undefined}
          type="password"
          autoComplete="new-password"
        />
        <fieldset>
          <legend>{t("sso.admin.claimsHeading")}</legend>
          <p>{t("sso.admin.claimsIntro")}</p>
          {claimFields.map(([name, label]) => (
            <Field key={name} field={fields[name]} label={t(label)} type="text" autoComplete="off" />
          ))}
        </fieldset>
        <TextAreaField
          field={fields.leaderGroups}
          label={t("sso.admin.leaderGroups")}
          hint={t("sso.admin.groupsHint")}
        />
        <TextAreaField field={fields.adminGroups} label={t("sso.admin.adminGroups")} hint={t("sso.admin.groupsHint")} />
        <SeatPolicyField field={fields.seatPolicy} />
        <CheckboxField field={fields.enabled} label={t("sso.admin.enabled")} />
        <div>
          <button type="submit" className="button">
            {t("sso.admin.save")}
          </button>
        </div>
      </Form>
      {isOidc ? (
        <OneButtonForm fields={{ intent: "test", organisationId: organisation.id }} look="button">
          {t("sso.admin.test")}
        </OneButtonForm>
      ) : null}
    </section>
  );
}
