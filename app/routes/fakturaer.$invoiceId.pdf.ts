import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { invoicePdfResponse } from "~/billing/documents.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return invoicePdfResponse(await requireUser(request), params.invoiceId);
}
