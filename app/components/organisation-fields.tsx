import type { FieldMetadata } from "@conform-to/react";
import { useT } from "~/i18n/i18n";
import { Field } from "./field";

type OrganisationFieldName = "cvr" | "streetName" | "buildingNumber" | "postalCode" | "city" | "invoiceEmail";

/** The municipality as it is invoiced (organisationFields in licensing/organisation-forms): on the order form and the municipality page alike. */
export function OrganisationFields({ fields }: { fields: Record<OrganisationFieldName, FieldMetadata<string>> }) {
  const t = useT();
  return (
    <>
      <Field field={fields.cvr} label={t("order.cvr")} type="text" />
      <Field field={fields.streetName} label={t("order.streetName")} type="text" autoComplete="address-line1" />
      <Field field={fields.buildingNumber} label={t("order.buildingNumber")} type="text" />
      <Field field={fields.postalCode} label={t("order.postalCode")} type="text" autoComplete="postal-code" />
      <Field field={fields.city} label={t("order.city")} type="text" autoComplete="address-level2" />
      <Field field={fields.invoiceEmail} label={t("order.invoiceEmail")} type="email" autoComplete="email" />
    </>
  );
}
