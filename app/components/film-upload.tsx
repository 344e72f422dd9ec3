import { getFormProps, getInputProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod";
import { useRef, useState } from "react";
import { FieldErrors } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import type { MessageKey } from "~/i18n/da";
import { formatPercent, intlLocale, useLanguage, useT, type Language } from "~/i18n/i18n";
import {
  Cancelled,
  type Answer,
  type Sending,
  chunkedStart,
  discardUpload,
  sendInChunks,
  sendWhole,
} from "~/media/film-upload-transport";
import {
  SUBTITLES_MAX_BYTES,
  describedUploadSchema,
  filmUploadSchema,
  subtitlesUploadSchema,
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
    send: (url: string, formData: FormData) => void run((signal, report) => sendWhole(signal, url, formData, report)),
    sendInChunks: (url: string, film: File, start: FormData) =>
      void run((signal, report) =>
        sendInChunks(signal, url, film, start, report, (discard) => (discardUrl.current = discard)),
      ),
    refuse: (error: Record<string, MessageKey[]>) => setReply(refusal(formId, error)),
    cancel: () => {
      controller.current?.abort();
      if (discardUrl.current) discardUpload(discardUrl.current);
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

/**
 * The described soundtrack is posted with the page itself, without the film's pieces and progress:
 * it is usually an audio file of a few megabytes. Only a file over the film limit is stopped here.
 */
export function DescribedUploadForm({ reply, maxBytes }: { reply: UploadReply | undefined; maxBytes: number }) {
  const t = useT();
  const language = useLanguage();
  const [refused, setRefused] = useState<UploadReply>();
  const current = refused ?? reply;
  const [form, fields] = useForm({
    id: "described",
    lastResult: current?.result,
    constraint: getZodConstraint(describedUploadSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => validateForm(formData, describedUploadSchema),
    onSubmit(event, { formData }) {
      const file = formData.get("described");
      if (file instanceof File && file.size > maxBytes) {
        event.preventDefault();
        setRefused(refusal("described", { described: ["upload.tooLarge"] }));
      } else {
        setRefused(undefined);
      }
    },
  });
  return (
    <form method="post" encType="multipart/form-data" {...getFormProps(form)} className="form">
      <input type="hidden" name="intent" value="described" />
      <p>{t("upload.describedIntro")}</p>
      {current?.notice ? (
        <p className="notice" role="status">
          {t(current.notice.key)}
        </p>
      ) : null}
      <UploadRefusal reply={current} id={form.errorId} />
      <FileField
        field={fields.described}
        label={t("upload.describedLabel")}
        hint={t("upload.describedHint", { max: formatBytes(language, maxBytes) })}
        accept="audio/*,video/*,.wav,.mp3,.m4a,.aac,.flac,.ogg,.mp4,.mov,.mkv,.webm"
      />
      <div>
        <button type="submit" className="button">
          {t("upload.describedSubmit")}
        </button>
      </div>
    </form>
  );
}
