import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { formatDateTime, useLanguage, useT } from "~/i18n/i18n";
import { defaultSsoClaimMap } from "#db/schema";
import { oidcConnectionSchema } from "~/sso/forms";
import { useReplyForm } from "~/utils/form-reply";
import type { ConnectionPage } from "./route";
import { signInRuleDefaults, SignInRulesFields } from "./sign-in-rules-fields";

/** The test's answer is shown above the form too: it is about what the form holds. */
export const connectionFormId = "sso-connection";

/** When the connection was last tested, and whether it worked. */
export function LastTest({ connection }: { connection: ConnectionPage["connection"] }) {
  const t = useT();
  const language = useLanguage();
  if (!connection.lastTestedAt) return null;
  const time = formatDateTime(language, new Date(connection.lastTestedAt));
  return <p>{t(connection.lastTestOk ? "sso.admin.lastTestOk" : "sso.admin.lastTestFailed", { time })}</p>;
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
      ...signInRuleDefaults(connection, claimMap, isOidc),
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
        <SignInRulesFields fields={fields} claimsIntro="sso.admin.claimsIntro" />
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
