import { getCollectionProps, type FieldMetadata } from "@conform-to/react";
import type { SsoClaimMap, SsoSeatPolicy } from "#db/schema";
import { CheckboxField, Field, FieldErrors, TextAreaField } from "~/components/field";
import type { MessageKey } from "~/i18n/da";
import { useT } from "~/i18n/i18n";
import type { ConnectionPage } from "./route";

const claimFields = [
  ["claimEmail", "sso.admin.claimEmail"],
  ["claimName", "sso.admin.claimName"],
  ["claimUnit", "sso.admin.claimUnit"],
  ["claimProfession", "sso.admin.claimProfession"],
  ["claimGroups", "sso.admin.claimGroups"],
] as const;

type RuleFields = Record<(typeof claimFields)[number][0] | "leaderGroups" | "adminGroups", FieldMetadata<string>> & {
  seatPolicy: FieldMetadata<SsoSeatPolicy>;
  enabled: FieldMetadata<unknown>;
  passwordSignInDisabled: FieldMetadata<unknown>;
};

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

/**
 * The form's starting values for what both protocols ask. `active` says whether the stored
 * connection is this protocol's, so switching protocol does not carry a switched-on login along.
 */
export function signInRuleDefaults(connection: ConnectionPage["connection"], claimMap: SsoClaimMap, active: boolean) {
  return {
    claimEmail: claimMap.email,
    claimName: claimMap.name,
    claimUnit: claimMap.unit,
    claimProfession: claimMap.profession,
    claimGroups: claimMap.groups,
    leaderGroups: connection.leaderGroups.join("\n"),
    adminGroups: connection.adminGroups.join("\n"),
    seatPolicy: connection.seatPolicy,
    enabled: active && connection.enabled ? "on" : undefined,
    passwordSignInDisabled: active && connection.passwordSignInDisabled ? "on" : undefined,
  };
}

/** Where the person's details are, which groups give roles, how seats are given, and whether passwords still work. */
export function SignInRulesFields({ fields, claimsIntro }: { fields: RuleFields; claimsIntro: MessageKey }) {
  const t = useT();
  return (
    <>
      <fieldset>
        <legend>{t("sso.admin.claimsHeading")}</legend>
        <p>{t(claimsIntro)}</p>
        {claimFields.map(([name, label]) => (
          <Field key={name} field={fields[name]} label={t(label)} type="text" autoComplete="off" />
        ))}
      </fieldset>
      <TextAreaField field={fields.leaderGroups} label={t("sso.admin.leaderGroups")} hint={t("sso.admin.groupsHint")} />
      <TextAreaField field={fields.adminGroups} label={t("sso.admin.adminGroups")} hint={t("sso.admin.groupsHint")} />
      <SeatPolicyField field={fields.seatPolicy} />
      <CheckboxField field={fields.enabled} label={t("sso.admin.enabled")} />
      <CheckboxField field={fields.passwordSignInDisabled} label={t("sso.admin.passwordSignInDisabled")} />
    </>
  );
}
