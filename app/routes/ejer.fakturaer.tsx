import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireOwner } from "~/auth/session.server";
import { allInvoices } from "~/billing/invoices.server";
import { markInvoicePaid } from "~/billing/providers.server";
import { markPaidSchema } from "~/billing/forms";
import { invoiceFormId, InvoiceTable } from "~/components/invoice-table";
import { OneButtonForm } from "~/components/one-button-form";
import { pageTitle, useT } from "~/i18n/i18n";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "billing.ownerTitle") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOwner(request);
  return json({ invoices: allInvoices() }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = { markPaid: markPaidSchema } as const;

/** Each invoice's row has its own form, so what happened to an invoice is said in its row. */
export async function action({ request }: ActionFunctionArgs) {
  await requireOwner(request);
  const form = await readForm(request);
  const submission = parseSubmission(form, schemas[formIntent(form, schemas)]);
  // The button sends only the id the page wrote.
  invariantResponse(submission.status === "success", "error.unreadableForm");
  const { invoiceId } = submission.value;
  const formId = invoiceFormId(invoiceId);
  const marked = await markInvoicePaid(invoiceId).catch((error: unknown) => {
    console.error(`Faktura ${invoiceId} kunne ikke markeres som betalt:`, error);
    return { status: "unreachable" } as const;
  });
  invariantResponse(marked.status !== "notFound", "notFound.invoice", { status: 404 });
  if (marked.status === "unreachable")
    return replyToForm(formId, submission, { refusal: "refusal.paymentSystemDown", status: 502 });
  if (marked.status === "notPayable") return replyToForm(formId, submission, { refusal: "refusal.invoiceNotPayable" });
  return replyToForm(formId, submission, { notice: { key: "billing.markedPaid", values: { number: marked.number } } });
}

export default function OwnerInvoices() {
  const t = useT();
  const { invoices } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("billing.ownerTitle")}</h1>
      <p className="lead">{t("billing.ownerIntro")}</p>
      <InvoiceTable
        label={t("billing.ownerTitle")}
        invoices={invoices}
        showBuyer
        rowActions={(invoice) =>
          invoice.number && !["paid", "void"].includes(invoice.status) ? (
            <OneButtonForm
              fields={{ intent: "markPaid", invoiceId: invoice.id }}
              label={t("billing.markPaidFor", { number: invoice.number })}
            >
              {t("billing.markPaid")}
            </OneButtonForm>
          ) : null
        }
      />
    </div>
  );
}
