import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { ScrollingTable } from "~/components/scrolling-table";
import { formatDay, intlLocale, useLanguage, useT } from "~/i18n/i18n";
import type { PageData } from "./route";
import { ActionsColumnHeader } from "~/components/actions-column-header";

/** Every discount, whom and what it applies to, how often it has been used, and a button to turn it off or on. */
export function DiscountsTable({ discounts }: { discounts: PageData["discounts"] }) {
  const t = useT();
  const language = useLanguage();
  const percent = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 2 });
  if (discounts.length === 0) return <p>{t("plans.discountsNone")}</p>;
  return (
    <ScrollingTable label={t("plans.discountsHeading")}>
      <thead>
        <tr>
          <th scope="col">{t("plans.column.label")}</th>
          <th scope="col">{t("plans.column.appliesTo")}</th>
          <th scope="col">{t("plans.column.plan")}</th>
          <th scope="col">{t("plans.column.percent")}</th>
          <th scope="col">{t("plans.column.validUntil")}</th>
          <th scope="col">{t("plans.column.uses")}</th>
          <th scope="col">{t("plans.column.status")}</th>
          <ActionsColumnHeader />
        </tr>
      </thead>
      <tbody>
        {discounts.map((discount) => (
          <tr key={discount.id}>
            <th scope="row">{discount.label}</th>
            <td>
              {discount.code
                ? t("plans.codeValue", { code: discount.code })
                : t("plans.agreementFor", { organisation: discount.organisationName ?? "" })}
            </td>
            <td>{discount.planName ?? t("plans.allPlans")}</td>
            <td className="amount">{percent.format(discount.percentBasisPoints / 100)} %</td>
            <td>{discount.validUntil ? formatDay(language, discount.validUntil) : t("plans.noEnd")}</td>
            <td>
              {discount.maxUses === null
                ? discount.uses
                : t("plans.usesOf", { uses: discount.uses, max: discount.maxUses })}
            </td>
            <td>{t(discount.active ? "plans.discountActive" : "plans.discountInactive")}</td>
            <td>
              <FormMessage formId={`discount-${discount.id}`} />
              <OneButtonForm
                fields={{ intent: "setDiscountActive", discountId: discount.id, active: String(!discount.active) }}
                label={t(discount.active ? "plans.deactivateFor" : "plans.reactivateFor", { label: discount.label })}
              >
                {t(discount.active ? "plans.deactivate" : "plans.reactivate")}
              </OneButtonForm>
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollingTable>
  );
}
