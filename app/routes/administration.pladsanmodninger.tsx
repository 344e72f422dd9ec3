import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/session.server";
import { ActionsColumnHeader } from "~/components/actions-column-header";
import { FormMessage } from "~/components/form-message";
import { OneButtonForm } from "~/components/one-button-form";
import { ScrollingTable } from "~/components/scrolling-table";
import { formatDateTime, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { approveSeatRequestSchema, declineSeatRequestSchema } from "~/licensing/forms";
import { decideSeatRequest, openSeatRequests } from "~/licensing/seat-requests.server";
import { formIntent, invariantResponse, parseSubmission, readForm, replyToForm } from "~/utils/http.server";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "seatRequests.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request);
  return json({ requests: openSeatRequests(admin) }, { headers: { "Cache-Control": "private, no-store" } });
}

const schemas = { approve: approveSeatRequestSchema, decline: declineSeatRequestSchema } as const;

/** A row's buttons vanish once it is answered, so every reply is said above the list. */
const LIST_FORM = "seat-requests";

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const form = await readForm(request);
  const intent = formIntent(form, schemas);
  const submission = parseSubmission(form, schemas[intent]);
  // The buttons send only the id the page wrote.
  invariantResponse(submission.status === "success", "error.unreadableForm");
  const decided = await decideSeatRequest(admin, submission.value.requestId, submission.value.intent);
  // Another municipality's request, or one answered in another tab, is the same to this admin.
  if (decided.status === "notFound")
    return replyToForm(LIST_FORM, submission, { refusal: "seatRequests.notFound", status: 404 });
  const values = { name: decided.name };
  if (decided.status === "full")
    return replyToForm(LIST_FORM, submission, { refusal: { key: "seatRequests.full", values } });
  if (decided.status === "noLicence")
    return replyToForm(LIST_FORM, submission, { refusal: { key: "seatRequests.noLicence", values } });
  const key = decided.status === "approved" ? "seatRequests.approved" : "seatRequests.declined";
  return replyToForm(LIST_FORM, submission, { notice: { key, values } });
}

export default function SeatRequests() {
  const t = useT();
  const language = useLanguage();
  const { requests } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("seatRequests.title")}</h1>
      <p className="lead">{t("seatRequests.intro")}</p>
      <FormMessage formId={LIST_FORM} />
      {requests.length === 0 ? (
        <p>{t("seatRequests.empty")}</p>
      ) : (
        <ScrollingTable label={t("seatRequests.title")}>
          <thead>
            <tr>
              <th scope="col">{t("admin.column.person")}</th>
              <th scope="col">{t("seatRequests.unit")}</th>
              <th scope="col">{t("seatRequests.requested")}</th>
              <ActionsColumnHeader />
            </tr>
          </thead>
          <tbody>
            {requests.map((request) => (
              <tr key={request.id}>
                <td>
                  {request.name}
                  <br />
                  <span className="email">{request.email}</span>
                </td>
                <td>{request.unitName ?? "–"}</td>
                <td>{formatDateTime(language, new Date(request.requestedAt))}</td>
                <td>
                  <OneButtonForm
                    fields={{ intent: "approve", requestId: request.id }}
                    label={t("seatRequests.approveLabel", { name: request.name })}
                    look="button"
                  >
                    {t("seatRequests.approve")}
                  </OneButtonForm>{" "}
                  <OneButtonForm
                    fields={{ intent: "decline", requestId: request.id }}
                    label={t("seatRequests.declineLabel", { name: request.name })}
                  >
                    {t("seatRequests.decline")}
                  </OneButtonForm>
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      )}
    </div>
  );
}
