import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatDate, pageTitle, useLanguage, useT } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import { IMPORT_MAX_BYTES, importInvitations, type ImportProblem, type ImportReport } from "~/licensing/invitation-import.server";
import { licenceOverviewForAdmin, requireAdmin } from "~/licensing/overview.server";

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

type Upload = { ok: true; form: FormData } | { ok: false; status: number; problem: ImportProblem };

/** The form, with the file held in memory; a file over the limit is refused before it is read in full. */
async function readUpload(request: Request): Promise<Upload> {
  const tooLarge = { ok: false, status: 413, problem: { key: "import.tooLarge" } } as const;
  if (Number(request.headers.get("Content-Length")) > IMPORT_MAX_BYTES + ENVELOPE_BYTES) return tooLarge;
  try {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: IMPORT_MAX_BYTES }));
    return { ok: true, form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooLarge;
    return { ok: false, status: 400, problem: { key: "import.notForm" } };
  }
}

// Enough rows to find and fix the problems; the counts always tell the whole story.
const ROWS_SHOWN = 1000;

function reportView(report: ImportReport) {
  return {
    acceptedCount: report.accepted.length,
    refusedCount: report.refused.length,
    accepted: report.accepted.slice(0, ROWS_SHOWN),
    refused: report.refused.slice(0, ROWS_SHOWN),
    ignoredColumns: report.ignoredColumns,
  };
}

type ActionData = { problem: ImportProblem | null; report: ReturnType<typeof reportView> | null; imported: number | null };

function reply(status: number, data: Partial<ActionData>) {
  const body: ActionData = { problem: null, report: null, imported: null, ...data };
  return json(body, { status, headers: noStore });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const upload = await readUpload(request);
  if (!upload.ok) return reply(upload.status, { problem: upload.problem });
  const file = upload.form.get("file");
  // A browser sends an empty, nameless file when none was chosen.
  if (file === null || typeof file === "string" || (file.name === "" && file.size === 0)) {
    return reply(400, { problem: { key: "import.noFile" } });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = importInvitations(user, Number(upload.form.get("licenceId")), bytes, {
    skipRefused: upload.form.get("skipRefused") === "on",
    language: await getLanguage(request),
  });
  switch (result.status) {
    case "notFound":
      return reply(404, { problem: { key: "import.licenceNotFound" } });
    case "tooLarge":
      return reply(413, { problem: result.problem });
    case "refused":
      return reply(400, { problem: result.problem, report: result.report && reportView(result.report) });
    case "imported":
      // The mails go out in the background, one at a time; the admin need not wait for them.
      return reply(200, { imported: result.report.accepted.length, report: reportView(result.report) });
  }
}

const EXAMPLE_CSV = "\uFEFFe-mail;navn\r\nanne.jensen@kommune.dk;Anne Jensen\r\nali.hassan@kommune.dk;Ali Hassan\r\n";

export default function InvitationImport() {
  const t = useT();
  const language = useLanguage();
  const { licences } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const day = (iso: string) => formatDate(language, new Date(`${iso}T12:00:00Z`));
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
      {data?.problem ? (
        <p className="notice notice--error" role="alert">
          {t(data.problem.key, data.problem.values)}
        </p>
      ) : null}
      {data?.imported != null ? (
        <p className="notice" role="status">
          {t("import.done", { count: data.imported })}
          {data.report?.refusedCount ? ` ${t("import.doneSkipped", { refused: data.report.refusedCount })}` : null}
        </p>
      ) : null}
      {licences.length === 0 ? (
        <p className="notice">{t("admin.none")}</p>
      ) : (
        <Form method="post" encType="multipart/form-data" className="form card">
          <div className="field">
            <label htmlFor="import-licence">{t("import.licence")}</label>
            <select id="import-licence" name="licenceId">
              {licences.map((licence) => (
                <option key={licence.id} value={licence.id}>
                  {t("import.licenceOption", { from: day(licence.startsOn), to: day(licence.endsOn), free: licence.freeSeats })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-file">{t("import.file")}</label>
            <p className="field__hint" id="import-file-hint">
              {t("import.fileHint")}
            </p>
            <input id="import-file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="import-file-hint" />
          </div>
          <div>
            <label>
              <input type="checkbox" name="skipRefused" /> {t("import.skipRefused")}
            </label>
          </div>
          <div>
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t("import.submit")}
            </button>
          </div>
        </Form>
      )}
      {data?.report ? <Report report={data.report} /> : null}
    </div>
  );
}

type ReportData = NonNullable<ReturnType<typeof useActionData<typeof action>>>["report"];

function Report({ report }: { report: NonNullable<ReportData> }) {
  const t = useT();
  const shown = (count: number) => (count > ROWS_SHOWN ? <p>{t("import.truncated", { shown: ROWS_SHOWN, count })}</p> : null);
  return (
    <section className="card" aria-labelledby="import-report">
      <h2 id="import-report">{t("import.reportHeading")}</h2>
      {report.ignoredColumns.length > 0 ? <p>{t("import.ignoredColumns", { columns: report.ignoredColumns.join(", ") })}</p> : null}
      {report.refusedCount > 0 ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("import.refusedCaption", { count: report.refusedCount })}>
          <table className="table">
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
          </table>
          {shown(report.refusedCount)}
        </div>
      ) : null}
      {report.acceptedCount > 0 ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("import.acceptedCaption", { count: report.acceptedCount })}>
          <table className="table">
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
          </table>
          {shown(report.acceptedCount)}
        </div>
      ) : null}
    </section>
  );
}
