import { getFormProps, getInputProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import { useRef, useState } from "react";
import { FieldErrors } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import type { MessageKey } from "~/i18n/da";
import { formatPercent, intlLocale, useLanguage, useT, type Language } from "~/i18n/i18n";
import {
  SUBTITLES_MAX_BYTES,
  filmUploadSchema,
  subtitlesUploadSchema,
  type ChunkAccepted,
  type ChunkedUploadStarted,
  type UploadFormId,
  type UploadReply,
} from "~/media/upload-forms";
import { validateForm } from "~/utils/form-schema";

function formatBytes(language: Language, bytes: number) {
  const [unit, size] = bytes >= 1024 ** 3 ? (["gigabyte", 1024 ** 3] as const) : (["megabyte", 1024 ** 2] as const);
  return new Intl.NumberFormat(intlLocale(language), { style: "unit", unit, maximumFractionDigits: 1 }).format(
    bytes / size,
  );
}

function refusal(formId: UploadFormId, error: Record<string, MessageKey[]>): UploadReply {
  return { formId, result: { status: "error", error }, notice: null };
}

/** `checking` once every piece is in: the server probes the film, and the upload can no longer be cancelled. */
type Sending = { loaded: number; total: number; retrying: boolean; checking?: boolean };
type Answer = { status: number; body: unknown };

/** Thrown once the person has pressed Cancel. */
class Cancelled extends Error {}

/**
 * One request with XMLHttpRequest, whose upload events are the only way a browser reports how
 * far a request body has got. Resolves with any answer; rejects when the connection breaks or on Cancel.
 */
function exchange(
  signal: AbortSignal,
  url: string,
  body: FormData | Blob | null,
  onProgress?: (loaded: number, total: number) => void,
) {
  return new Promise<Answer>((resolve, reject) => {
    if (signal.aborted) return reject(new Cancelled());
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal.addEventListener("abort", abort, { once: true });
    const done = () => signal.removeEventListener("abort", abort);
    xhr.open(body instanceof Blob ? "PUT" : "POST", url);
    if (body instanceof Blob) xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.responseType = "json";
    if (onProgress)
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : 0);
    xhr.onload = () => {
      done();
      resolve({ status: xhr.status, body: xhr.response });
    };
    xhr.onerror = () => {
      done();
      reject(new Error("network"));
    };
    xhr.onabort = () => {
      done();
      reject(new Cancelled());
    };
    xhr.send(body);
  });
}

function pause(signal: AbortSignal, ms: number) {
  return new Promise<void>((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(new Cancelled());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal.addEventListener("abort", stop, { once: true });
  });
}

const RETRIES = 3;
const RETRY_PAUSE_MS = 2_000;
// The server's own time limit, a proxy in trouble, or the server restarting: worth another try.
const worthRetrying = (status: number) => status === 408 || status === 429 || status >= 500;

/** A request is sent again after a short, growing pause when the connection breaks or the server stumbles. */
async function withRetries(signal: AbortSignal, onRetry: () => void, send: () => Promise<Answer>): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await send();
      if (!worthRetrying(answer.status) || attempt > RETRIES) return answer;
    } catch (error) {
      if (error instanceof Cancelled || attempt > RETRIES) throw error;
    }
    onRetry();
    await pause(signal, RETRY_PAUSE_MS * attempt);
  }
}

const notOurs: Answer = { status: 0, body: null };

/**
 * Sends a film in pieces, each its own request, so that no request meets the server's time
 * limit however slow the line; returns the answer that ends the upload, or the first refusal.
 * `discardAt` is told where Cancel discards the upload, and null once it can no longer be cancelled.
 */
async function sendInChunks(
  signal: AbortSignal,
  url: string,
  film: File,
  start: FormData,
  report: (sending: Sending) => void,
  discardAt: (url: string | null) => void,
): Promise<Answer> {
  const started = await withRetries(
    signal,
    () => report({ loaded: 0, total: film.size, retrying: true }),
    () => exchange(signal, `${url}?trin=start`, start),
  );
  if (started.status !== 200) return started;
  const { uploadId, chunkBytes } = (started.body ?? {}) as Partial<ChunkedUploadStarted>;
  if (typeof uploadId !== "string" || !(typeof chunkBytes === "number" && chunkBytes > 0)) return notOurs;
  const id = encodeURIComponent(uploadId);
  discardAt(`${url}?trin=annuller&upload=${id}`);
  let received = 0;
  while (received < film.size) {
    const from = received;
    const piece = film.slice(from, from + chunkBytes);
    const answer = await withRetries(
      signal,
      () => report({ loaded: from, total: film.size, retrying: true }),
      () =>
        exchange(signal, `${url}?trin=del&upload=${id}&fra=${from}`, piece, (loaded) =>
          report({ loaded: from + loaded, total: film.size, retrying: false }),
        ),
    );
    if (answer.status !== 200) return answer;
    const next = ((answer.body ?? {}) as Partial<ChunkAccepted>).received;
    // The server says where the next piece starts; an answer that does not move on would never end.
    if (typeof next !== "number" || next <= from) return notOurs;
    received = next;
  }
  // Cancel now would leave the film queued while the page said otherwise.
  discardAt(null);
  const checking = (retrying: boolean) => report({ loaded: film.size, total: film.size, retrying, checking: true });
  checking(false);
  return withRetries(
    signal,
    () => checking(true),
    () => exchange(signal, `${url}?trin=afslut&upload=${id}`, null),
  );
}

/** The page's media jobs, as far as the forms need them. */
type JobState = { id: number; kind: UploadFormId; status: "queued" | "running" | "done" | "failed" };

/** Without JavaScript the form posts to the page as usual; with it, the upload shows its progress. */
function useUpload(formId: UploadFormId, jobs: JobState[], onUploaded: () => void) {
  const [sending, setSending] = useState<Sending | null>(null);
  const [reply, setReply] = useState<UploadReply>();
  // Once the upload is queued: the newest job there was when it began, so a job of this kind after it is the one it queued.
  const [queuedAfter, setQueuedAfter] = useState<number | null>(null);
  const controller = useRef<AbortController | null>(null);
  const discardUrl = useRef<string | null>(null);
  // "Received and waiting to be coded" stops being true once that job has finished, one way or the other; the job list says how.
  const finished =
    queuedAfter !== null &&
    jobs.some(
      (job) => job.kind === formId && job.id > queuedAfter && (job.status === "done" || job.status === "failed"),
    );

  const run = async (upload: (signal: AbortSignal, report: (sending: Sending) => void) => Promise<Answer>) => {
    const current = new AbortController();
    controller.current = current;
    const newestJob = Math.max(0, ...jobs.map((job) => job.id));
    setQueuedAfter(null);
    setReply(undefined);
    setSending({ loaded: 0, total: 0, retrying: false });
    try {
      const answer = await upload(current.signal, setSending);
      const body = answer.body as UploadReply | null;
      if (body?.result) {
        setReply(body);
        if (answer.status === 200) {
          setQueuedAfter(newestJob);
          onUploaded();
        }
      } else {
        // Not our answer: a proxy's limit, or a sign-in page after the session ran out.
        const tooLarge: Record<string, MessageKey[]> =
          formId === "film" ? { film: ["upload.tooLarge"] } : { subtitles: ["upload.subtitlesTooLarge"] };
        setReply(refusal(formId, answer.status === 413 ? tooLarge : { "": ["upload.failed"] }));
      }
    } catch (error) {
      setReply(
        error instanceof Cancelled
          ? { formId, result: {}, notice: { key: "upload.cancelled" } }
          : refusal(formId, { "": ["upload.networkError"] }),
      );
    } finally {
      controller.current = null;
      discardUrl.current = null;
      setSending(null);
    }
  };
  return {
    sending,
    reply: reply && finished ? { ...reply, notice: null } : reply,
    send: (url: string, formData: FormData) =>
      void run((signal, report) =>
        exchange(signal, url, formData, (loaded, total) => report({ loaded, total, retrying: false })),
      ),
    sendInChunks: (url: string, film: File, start: FormData) =>
      void run((signal, report) =>
        sendInChunks(signal, url, film, start, report, (discard) => (discardUrl.current = discard)),
      ),
    refuse: (error: Record<string, MessageKey[]>) => setReply(refusal(formId, error)),
    cancel: () => {
      controller.current?.abort();
      // Best effort, so the server clears the upload now; one that is lost is pruned within the hour.
      if (discardUrl.current) void fetch(discardUrl.current, { method: "POST" }).catch(() => undefined);
      discardUrl.current = null;
    },
  };
}

function FileField({
  field,
  label,
  hint,
  accept,
}: {
  field: FieldMetadata<File | undefined>;
  label: string;
  hint: string;
  accept: string;
}) {
  const hintId = `${field.id}-hint`;
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <p className="field__hint" id={hintId}>
        {hint}
      </p>
      <input
        {...getInputProps(field, { type: "file", ariaAttributes: false })}
        accept={accept}
        aria-invalid={field.errors ? true : undefined}
        aria-describedby={[hintId, field.errors ? field.errorId : undefined].filter(Boolean).join(" ")}
      />
      <FieldErrors field={field} />
    </div>
  );
}

function UploadStatus({
  formId,
  sending,
  notice,
  onCancel,
}: {
  formId: UploadFormId;
  sending: Sending | null;
  notice: MessageKey | null;
  onCancel: () => void;
}) {
  const t = useT();
  const language = useLanguage();
  const fraction = sending && sending.total > 0 ? sending.loaded / sending.total : 0;
  // Read out in steps of ten per cent, so a screen reader is not talking the whole time.
  const spoken = sending?.retrying
    ? t("upload.retrying")
    : sending?.checking
      ? t("upload.checking")
      : sending
        ? t("upload.sendingPercent", { percent: formatPercent(language, Math.floor(fraction * 10) / 10) })
        : notice
          ? t(notice)
          : "";
  return (
    <>
      <p
        className={(notice && !sending) || sending?.retrying || sending?.checking ? "notice" : "visually-hidden"}
        role="status"
      >
        {spoken}
      </p>
      {sending && !sending.checking ? (
        <div className="upload-progress">
          <label htmlFor={`${formId}-progress`}>{t("upload.sending")}</label>
          <progress id={`${formId}-progress`} max={1} value={fraction}>
            {formatPercent(language, fraction)}
          </progress>
          <span aria-hidden="true">{formatPercent(language, fraction)}</span>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t("upload.cancel")}
          </button>
        </div>
      ) : null}
    </>
  );
}

/** The refusal above the form. Its notice is left out: UploadStatus reads that out, in the live region that also tells the progress. */
function UploadRefusal({ reply, id }: { reply: UploadReply | undefined; id: string }) {
  return <FormMessage reply={reply && { ...reply, notice: null }} id={id} />;
}

type FormProps = { uploadUrl: string; reply: UploadReply | undefined; jobs: JobState[]; onUploaded: () => void };

/** Too large files are refused here at once, instead of after sending gigabytes to be refused. */
function tooLarge(formData: FormData, maxBytes: number): Record<string, MessageKey[]> | null {
  const film = formData.get("film");
  if (film instanceof File && film.size > maxBytes) return { film: ["upload.tooLarge"] };
  const subtitles = formData.get("subtitles");
  if (subtitles instanceof File && subtitles.size > SUBTITLES_MAX_BYTES)
    return { subtitles: ["upload.subtitlesTooLarge"] };
  return null;
}

/** What starts a film sent in pieces: everything in the form but the film itself, which follows piece by piece. */
function chunkedStart(formData: FormData, film: File) {
  const start = new FormData();
  start.set("filmName", film.name);
  start.set("filmSize", String(film.size));
  const subtitles = formData.get("subtitles");
  if (subtitles instanceof File && subtitles.name) start.set("subtitles", subtitles);
  return start;
}

export function FilmUploadForm({ uploadUrl, maxBytes, reply, jobs, onUploaded }: FormProps & { maxBytes: number }) {
  const t = useT();
  const language = useLanguage();
  const upload = useUpload("film", jobs, onUploaded);
  const current = upload.reply ?? reply;
  const [form, fields] = useForm({
    id: "film",
    lastResult: current?.result,
    constraint: getZodConstraint(filmUploadSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => validateForm(formData, filmUploadSchema),
    onSubmit(event, { formData }) {
      event.preventDefault();
      const refused = tooLarge(formData, maxBytes);
      const film = formData.get("film");
      if (refused) upload.refuse(refused);
      else if (film instanceof File) upload.sendInChunks(uploadUrl, film, chunkedStart(formData, film));
    },
  });
  return (
    <form method="post" encType="multipart/form-data" {...getFormProps(form)} className="form">
      <input type="hidden" name="intent" value="film" />
      <UploadStatus
        formId="film"
        sending={upload.sending}
        notice={current?.notice?.key ?? null}
        onCancel={upload.cancel}
      />
      <UploadRefusal reply={current} id={form.errorId} />
      <FileField
        field={fields.film}
        label={t("upload.filmLabel")}
        hint={t("upload.filmHint", { max: formatBytes(language, maxBytes) })}
        accept="video/*,.mp4,.m4v,.mov,.mkv,.webm,.ts,.avi"
      />
      <FileField
        field={fields.subtitles}
        label={t("upload.subtitlesOptionalLabel")}
        hint={t("upload.subtitlesHint", { max: formatBytes(language, SUBTITLES_MAX_BYTES) })}
        accept=".vtt,text/vtt"
      />
      <div>
        <button type="submit" className="button" disabled={upload.sending !== null}>
          {t("upload.filmSubmit")}
        </button>
      </div>
    </form>
  );
}

export function SubtitlesUploadForm({ uploadUrl, reply, jobs, onUploaded }: FormProps) {
  const t = useT();
  const language = useLanguage();
  const upload = useUpload("subtitles", jobs, onUploaded);
  const current = upload.reply ?? reply;
  const [form, fields] = useForm({
    id: "subtitles",
    lastResult: current?.result,
    constraint: getZodConstraint(subtitlesUploadSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => validateForm(formData, subtitlesUploadSchema),
    onSubmit(event, { formData }) {
      event.preventDefault();
      const refused = tooLarge(formData, Number.POSITIVE_INFINITY);
      if (refused) upload.refuse(refused);
      else upload.send(uploadUrl, formData);
    },
  });
  return (
    <form method="post" encType="multipart/form-data" {...getFormProps(form)} className="form">
      <input type="hidden" name="intent" value="subtitles" />
      <p>{t("upload.subtitlesIntro")}</p>
      <UploadStatus
        formId="subtitles"
        sending={upload.sending}
        notice={current?.notice?.key ?? null}
        onCancel={upload.cancel}
      />
      <UploadRefusal reply={current} id={form.errorId} />
      <FileField
        field={fields.subtitles}
        label={t("upload.subtitlesLabel")}
        hint={t("upload.subtitlesHint", { max: formatBytes(language, SUBTITLES_MAX_BYTES) })}
        accept=".vtt,text/vtt"
      />
      <div>
        <button type="submit" className="button" disabled={upload.sending !== null}>
          {t("upload.subtitlesSubmit")}
        </button>
      </div>
    </form>
  );
}
