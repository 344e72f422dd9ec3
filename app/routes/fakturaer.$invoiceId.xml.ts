import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { invoiceXmlResponse } from "~/billing/documents.server";

/** The invoice as OIOUBL 2.1, for NemHandel: the same numbers as the PDF, to the øre. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return invoiceXmlResponse(await requireUser(request), params.invoiceId);
}
