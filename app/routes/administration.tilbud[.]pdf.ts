import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { quotePdfResponse } from "~/billing/documents.server";
import { orderSchema } from "~/billing/forms";
import { prepareOrder } from "~/billing/orders.server";
import { requireAdmin } from "~/auth/session.server";
import { invariantResponse, parseSubmission, readForm } from "~/utils/http.server";

/**
 * The quote (tilbud) for the order on the summary, as a PDF download. A route of its own, so
 * the browser saves the file and stays on the summary; nothing is saved. A quote that cannot be
 * made (the summary is out of date, or its form was changed) sends the browser back to the order
 * page with the same fields, method and body kept (307), where each problem shows beside its field.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const backToOrder = redirect(`/administration/bestil${new URL(request.url).search}`, 307);
  const submission = parseSubmission(await readForm(request), orderSchema);
  if (submission.status !== "success") return backToOrder;
  const prepared = prepareOrder(user, submission.value);
  invariantResponse(prepared.status !== "forbidden", "notFound.organisationOrLicence", { status: 404 });
  if (prepared.status !== "ok") return backToOrder;
  return quotePdfResponse(prepared.order);
}
