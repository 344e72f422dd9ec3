import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { FileField, SelectField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { formatDay, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { importSchema } from "~/licensing/forms";
import { IMPORT_MAX_BYTES } from "~/licensing/forms";
import { importInvitations, type ImportReport } from "~/licensing/invitation-import.server";
import { licenceOverviewForAdmin } from "~/licensing/overview.server";
import { requireAdmin } from "~/auth/session.server";
import { useFormReply } from "~/utils/form-reply";
import { parseSubmission, replyToForm } from "~/utils/http.server";
import type { RouteHandle } from "~/utils/route-handle";
import { ScrollingTable } from "~/components/scrolling-table";
import { SubmitButton } from "~/components/submit-button";

// A municipality's whole staff list, in one file.
export const handle: RouteHandle = { requestBody: "csvFile" };

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "import.title") }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const noStore = { "Cache-Control": "private, no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const licences = licenceOverviewForAdmin(user).licences.map((licence) => ({
    id: licence.id,
    startsOn: licence.startsOn,
    endsOn: licence.endsOn,
    freeSeats: licence.seatCount - licence.seatsUsed,
  }));
  return json({ licences }, { headers: noStore });
}

// Room for the multipart envelope and the small fields around the file.
const ENVELOPE_BYTES = 64 * 1024;

type Upload = { ok: true; form: FormData } | { ok: false; tooLarge: boolean };

/** The form, with the file held in memory; a file over the limit is refused before it is read in full. */
async function readUpload(request: Request): Promise<Upload> {
  if (Number(request.headers.get("Content-Length")) > IMPORT_MAX_BYTES + ENVELOPE_BYTES)
    return { ok: false, tooLarge: true };
  try {
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: IMPORT_MAX_BYTES }),
    );
    return { ok: true, form };
  } catch (error) {
    return { ok: false, tooLarge: error instanceof MaxPartSizeExceededError };
  }
}

// Enough rows to find and fix the problems; the counts always tell the whole story.
const ROWS_SHOWN = 1000;

type ReportView = ReturnType<typeof reportView>;

function reportView(report: ImportReport) {
  return {
    acceptedCount: report.accepted.length,
    refusedCount: report.refused.length,
    accepted: report.accepted.slice(0, ROWS_SHOWN),
    refused: report.refused.slice(0, ROWS_SHOWN),
    ignoredColumns: report.ignoredColumns,
  };
}

const IMPORT_FORM = "import";

/**
 * Every reply carries the report (null when the file was never read), so the page can show the
 * rows beside the answer. A file's problems are said above the form, with the numbers they name.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const upload = await readUpload(request);
  const noReport = { report: null, imported: null };
  if (!upload.ok) {
    // Nothing of the form could be read, so the reply is about the file alone.
    if (upload.tooLarge)
      return replyToForm(IMPORT_FORM, null, {
        fieldErrors: { file: ["import.tooLarge"] },
        status: 413,
        data: noReport,
      });
    return replyToForm(IMPORT_FORM, null, { refusal: "import.notForm", status: 400, data: noReport });
  }
  // The file itself is not sent back: a browser cannot put it in the field again.
  const submission = parseSubmission(upload.form, importSchema);
  if (submission.status !== "success")
    return replyToForm(IMPORT_FORM, submission, { hideFields: ["file"], data: noReport });
  const { licenceId, file, skipRefused } = submission.value;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = importInvitations(user, licenceId, bytes, { skipRefused, language: await getLanguage(request) });
  const reply = (
    options: Parameters<typeof replyToForm>[2],
    report: ReportView | null = null,
    imported: number | null = null,
  ) => replyToForm(IMPORT_FORM, submission, { hideFields: ["file"], ...options, data: { report, imported } });
  switch (result.status) {
    case "notFound":
      return reply({ refusal: "import.licenceNotFound", status: 404 });
    case "tooLarge":
      return reply({ fieldErrors: { file: [result.problem.key] }, status: 413 });
    case "refused":
      return reply({ refusal: result.problem, status: 400 }, result.report && reportView(result.report));
    case "imported":
      // The mails go out in the background, one at a time; the admin need not wait for them.
      return reply(
        { notice: { key: "import.done", values: { count: result.report.accepted.length } } },
        reportView(result.report),
        result.report.accepted.length,
      );
  }
}

const EXAMPLE_CSV = "\uFEFFe-mail;navn\r\nanne.jensen@kommune.dk;Anne Jensen\r\nali.hassan@kommune.dk;Ali Hassan\r\n";

export default function InvitationImport() {
  const t = useT();
  const language = useLanguage();
  const { licences } = useLoaderData<typeof loader>();
  const reply = useFormReply<typeof action>(IMPORT_FORM);
  const [form, fields] = useForm<z.input<typeof importSchema>>({
    id: IMPORT_FORM,
    lastResult: reply?.result,
    defaultValue: { licenceId: String(licences[0]?.id ?? "") },
  });
  return (
    <div className="page">
      <p>
        <Link to="/administration">{t("admin.back")}</Link>
      </p>
      <h1>{t("import.title")}</h1>
      <p className="lead">{t("import.intro")}</p>
      <p>
        <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(EXAMPLE_CSV)}`} download="invitationer-eksempel.csv">
          {t("import.example")}
        </a>
      </p>
      <FormMessage reply={reply} id={form.errorId} />
      {reply?.imported != null && reply.report?.refusedCount ? (
        <p>{t("import.doneSkipped", { refused: reply.report.refusedCount })}</p>
      ) : null}
      {licences.length === 0 ? (
        <p className="notice">{t("admin.none")}</p>
      ) : (
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="form card">
          <SelectField
            field={fields.licenceId}
            label={t("import.licence")}
            options={licences.map((licence) => ({
              value: String(licence.id),
              label: t("import.licenceOption", {
                from: formatDay(language, licence.startsOn),
                to: formatDay(language, licence.endsOn),
                free: licence.freeSeats,
              }),
            }))}
          />
          <FileField
            field={fields.file}
            label={t("import.file")}
            hint={t("import.fileHint")}
            accept=".csv,text/csv"
            required
          />
          <div className="checkbox">
            <input {...getInputProps(fields.skipRefused, { type: "checkbox" })} />
            <label htmlFor={fields.skipRefused.id}>{t("import.skipRefused")}</label>
          </div>
          <SubmitButton>{t("import.submit")}</SubmitButton>
        </Form>
      )}
      {reply?.report ? <Report report={reply.report} /> : null}
    </div>
  );
}

function Report({ report }: { report: ReportView }) {
  const t = useT();
  const shown = (count: number) =>
    count > ROWS_SHOWN ? <p>{t("import.truncated", { shown: ROWS_SHOWN, count })}</p> : null;
  return (
    <section className="card" aria-labelledby="import-report">
      <h2 id="import-report">{t("import.reportHeading")}</h2>
      {report.ignoredColumns.length > 0 ? (
        <p>{t("import.ignoredColumns", { columns: report.ignoredColumns.join(", ") })}</p>
      ) : null}
      {report.refusedCount > 0 ? (
        <>
          <ScrollingTable label={t("import.refusedCaption", { count: report.refusedCount })}>
            <caption>{t("import.refusedCaption", { count: report.refusedCount })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("import.column.row")}</th>
                <th scope="col">{t("import.column.email")}</th>
                <th scope="col">{t("import.column.name")}</th>
                <th scope="col">{t("import.column.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {report.refused.map((row) => (
                <tr key={row.row}>
                  <th scope="row">{row.row}</th>
                  <td className="email">{row.email}</td>
                  <td>{row.name}</td>
                  <td>{t(row.reason.key, row.reason.values)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollingTable>
          {shown(report.refusedCount)}
        </>
      ) : null}
      {report.acceptedCount > 0 ? (
        <>
          <ScrollingTable label={t("import.acceptedCaption", { count: report.acceptedCount })}>
            <caption>{t("import.acceptedCaption", { count: report.acceptedCount })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("import.column.row")}</th>
                <th scope="col">{t("import.column.email")}</th>
                <th scope="col">{t("import.column.name")}</th>
              </tr>
            </thead>
            <tbody>
              {report.accepted.map((row) => (
                <tr key={row.row}>
                  <th scope="row">{row.row}</th>
                  <td className="email">{row.email}</td>
                  <td>{row.name}</td>
                </tr>
              ))}
            </tbody>
          </ScrollingTable>
          {shown(report.acceptedCount)}
        </>
      ) : null}
    </section>
  );
}
