import { useT } from "~/i18n/i18n";

/** Download links for an issued invoice's PDF and OIOUBL file, named for screen readers. */
export function InvoiceFiles({ invoice }: { invoice: { id: number; number: string } }) {
  const t = useT();
  return (
    <>
      <a href={`/fakturaer/${invoice.id}/pdf`} download aria-label={t("billing.pdfFor", { number: invoice.number })}>
        {t("billing.pdf")}
      </a>{" "}
      ·{" "}
      <a href={`/fakturaer/${invoice.id}/xml`} download aria-label={t("billing.xmlFor", { number: invoice.number })}>
        {t("billing.xml")}
      </a>
    </>
  );
}
