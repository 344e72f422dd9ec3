import { getFormProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field, FileField, TextAreaField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { formatDate, useLanguage, useT } from "~/i18n/i18n";
import { defaultSamlClaimMap, samlConnectionSchema } from "~/sso/forms";
import { useReplyForm } from "~/utils/form-reply";
import { connectionFormId, LastTest } from "./connection-form";
import { signInRuleDefaults, SignInRulesFields } from "./sign-in-rules-fields";
import type { ConnectionPage } from "./route";

/** What the municipality hands its SAML provider: the platform's metadata address, entity id and ACS. */
export function SamlServiceProviderCard({ page }: { page: ConnectionPage }) {
  const t = useT();
  const language = useLanguage();
  const { saml } = page;
  return (
    <section className="card">
      <h2>{t("sso.saml.spHeading")}</h2>
      {saml.spCertificate ? (
        <>
          <p>{t("sso.saml.spIntro")}</p>
          <dl>
            <dt>{t("sso.saml.spMetadataUrl")}</dt>
            <dd>
              <code className="copyable">{saml.entityId}</code>
            </dd>
            <dt>{t("sso.saml.spEntityId")}</dt>
            <dd>
              <code className="copyable">{saml.entityId}</code>
            </dd>
            <dt>{t("sso.saml.acsUrl")}</dt>
            <dd>
              <code className="copyable">{saml.acsUrl}</code>
            </dd>
            <dt>{t("sso.saml.spCertificate")}</dt>
            <dd>
              {t("sso.saml.certificate", {
                subject: saml.spCertificate.subject,
                date: formatDate(language, saml.spCertificate.validTo),
              })}
            </dd>
          </dl>
        </>
      ) : (
        <p>{t("sso.saml.spNotYet")}</p>
      )}
      {saml.idpEntityId ? (
        <>
          <h3>{t("sso.saml.idpHeading")}</h3>
          <dl>
            <dt>{t("sso.saml.idpEntityId")}</dt>
            <dd>
              <code>{saml.idpEntityId}</code>
            </dd>
            <dt>{t("sso.saml.idpSsoUrl")}</dt>
            <dd>
              <code>{saml.idpSsoUrl}</code>
            </dd>
            <dt>{t("sso.saml.idpCertificates")}</dt>
            {saml.idpCertificates.map((certificate, index) => (
              <dd key={index}>
                {t("sso.saml.certificate", {
                  subject: certificate.subject,
                  date: formatDate(language, certificate.validTo),
                })}
              </dd>
            ))}
          </dl>
        </>
      ) : null}
    </section>
  );
}

/** The SAML settings; the platform's private key is never sent to the page, and its field always starts empty. */
export function SamlConnectionForm({ page }: { page: ConnectionPage }) {
  const t = useT();
  const { organisation, connection, saml } = page;
  // Another protocol's claim names mean nothing here, so a switch starts from OIOSAML 3's.
  const claimMap = page.protocol === "saml" ? connection.claimMap : defaultSamlClaimMap;
  const { reply, form, fields } = useReplyForm(connectionFormId, samlConnectionSchema, {
    defaultValue: {
      intent: "saveSaml",
      organisationId: String(organisation.id),
      metadataUrl: saml.metadataUrl,
      ...signInRuleDefaults(connection, claimMap, page.protocol === "saml"),
    },
    shouldValidate: "onBlur",
  });
  return (
    <section className="card">
      <h2>{t("sso.saml.formHeading")}</h2>
      <FormMessage reply={reply} id={form.errorId} />
      {page.protocol === "saml" ? <LastTest connection={connection} /> : null}
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="form">
        <input type="hidden" name="intent" value="saveSaml" />
        <input type="hidden" name="organisationId" value={organisation.id} />
        <Field
          field={fields.metadataUrl}
          label={t("sso.saml.metadataUrl")}
          hint={t("sso.saml.metadataUrlHint")}
          type="text"
        />
        <FileField
          field={fields.metadataFile}
          label={t("sso.saml.metadataFile")}
          hint={t("sso.saml.metadataFileHint")}
          accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
        />
        <fieldset>
          <legend>{t("sso.saml.ownCertificate")}</legend>
          <p>{t("sso.saml.ownCertificateIntro")}</p>
          <TextAreaField field={fields.spCertificate} label={t("sso.saml.spCertificateField")} />
          <TextAreaField field={fields.spPrivateKey} label={t("sso.saml.spPrivateKeyField")} />
        </fieldset>
        <SignInRulesFields fields={fields} claimsIntro="sso.saml.claimsIntro" />
        <div>
          <button type="submit" className="button">
            {t("sso.saml.save")}
          </button>
        </div>
      </Form>
      {page.protocol === "saml" ? (
        <OneButtonForm fields={{ intent: "test", organisationId: organisation.id }} look="button">
          {t("sso.admin.test")}
        </OneButtonForm>
      ) : null}
    </section>
  );
}
