import { getFormProps, getInputProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useRef, useState } from "react";
import { FieldErrors } from "~/components/field";
import type { MessageKey } from "~/i18n/da";
import { formatPercent, intlLocale, useLanguage, useT, type Language } from "~/i18n/i18n";
import { SUBTITLES_MAX_BYTES, filmUploadSchema, subtitlesUploadSchema, type UploadFormId, type UploadReply } from "~/media/upload-forms";

function formatBytes(language: Language, bytes: number) {
  const [unit, size] = bytes >= 1024 ** 3 ? (["gigabyte", 1024 ** 3] as const) : (["megabyte", 1024 ** 2] as const);
  return new Intl.NumberFormat(intlLocale(language), { style: "unit", unit, maximumFractionDigits: 1 }).format(bytes / size);
}

function refusal(formId: UploadFormId, error: Record<string, MessageKey[]>): UploadReply {
  return { formId, result: { status: "error", error }, notice: null };
}

type Sending = { loaded: number; total: number };

/**
 * Sends the form with XMLHttpRequest, whose upload events are the only way a browser reports
 * how far a request body has got; without JavaScript the form posts to the page as usual.
 */
function useUpload(formId: UploadFormId, uploadUrl: string, onUploaded: () => void) {
  const [sending, setSending] = useState<Sending | null>(null);
  const [reply, setReply] = useState<UploadReply>();
  const request = useRef<XMLHttpRequest | null>(null);

  const send = (formData: FormData) => {
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    xhr.open("POST", uploadUrl);
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => setSending({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
    xhr.onload = () => {
      request.current = null;
      setSending(null);
      const answer = xhr.response as UploadReply | null;
      if (!answer?.result) {
        // Not our answer: a proxy's limit, or a sign-in page after the session ran out.
        const tooLarge: Record<string, MessageKey[]> = formId === "film" ? { film: ["upload.tooLarge"] } : { subtitles: ["upload.subtitlesTooLarge"] };
        setReply(refusal(formId, xhr.status === 413 ? tooLarge : { "": ["upload.failed"] }));
        return;
      }
      setReply(answer);
      if (xhr.status === 200) onUploaded();
    };
    xhr.onerror = () => {
      request.current = null;
      setSending(null);
      setReply(refusal(formId, { "": ["upload.networkError"] }));
    };
    xhr.onabort = () => {
      request.current = null;
      setSending(null);
      setReply({ formId, result: {}, notice: "upload.cancelled" });
    };
    setReply(undefined);
    setSending({ loaded: 0, total: 0 });
    xhr.send(formData);
  };
  return { sending, reply, send, refuse: (error: Record<string, MessageKey[]>) => setReply(refusal(formId, error)), cancel: () => request.current?.abort() };
}

function FileField({ field, label, hint, accept }: { field: FieldMetadata<File | undefined>; label: string; hint: string; accept: string }) {
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

function UploadStatus({ formId, sending, notice, onCancel }: { formId: UploadFormId; sending: Sending | null; notice: MessageKey | null; onCancel: () => void }) {
  const t = useT();
  const language = useLanguage();
  const fraction = sending && sending.total > 0 ? sending.loaded / sending.total : 0;
  // Read out in steps of ten per cent, so a screen reader is not talking the whole time.
  const spoken = sending ? t("upload.sendingPercent", { percent: formatPercent(language, Math.floor(fraction * 10) / 10) }) : notice ? t(notice) : "";
  return (
    <>
      <p className={notice && !sending ? "notice" : "visually-hidden"} role="status">
        {spoken}
      </p>
      {sending ? (
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

function FormErrors({ id, errors }: { id: string; errors: string[] | undefined }) {
  const t = useT();
  return errors ? (
    <p className="notice notice--error" id={id}>
      {errors.map((error) => t(error as MessageKey)).join(" ")}
    </p>
  ) : null;
}

type FormProps = { uploadUrl: string; reply: UploadReply | undefined; onUploaded: () => void };

/** Too large files are refused here at once, instead of after sending gigabytes to be refused. */
function tooLarge(formData: FormData, maxBytes: number): Record<string, MessageKey[]> | null {
  const film = formData.get("film");
  if (film instanceof File && film.size > maxBytes) return { film: ["upload.tooLarge"] };
  const subtitles = formData.get("subtitles");
  if (subtitles instanceof File && subtitles.size > SUBTITLES_MAX_BYTES) return { subtitles: ["upload.subtitlesTooLarge"] };
  return null;
}

export function FilmUploadForm({ uploadUrl, maxBytes, reply, onUploaded }: FormProps & { maxBytes: number }) {
  const t = useT();
  const language = useLanguage();
  const upload = useUpload("film", uploadUrl, onUploaded);
  const current = upload.reply ?? reply;
  const [form, fields] = useForm({
    id: "film",
    lastResult: current?.result,
    constraint: getZodConstraint(filmUploadSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: filmUploadSchema }),
    onSubmit(event, { formData }) {
      event.preventDefault();
      const refused = tooLarge(formData, maxBytes);
      if (refused) upload.refuse(refused);
      else upload.send(formData);
    },
  });
  return (
    <form method="post" encType="multipart/form-data" {...getFormProps(form)} className="form">
      <input type="hidden" name="intent" value="film" />
      <UploadStatus formId="film" sending={upload.sending} notice={current?.notice ?? null} onCancel={upload.cancel} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <FileField field={fields.film} label={t("upload.filmLabel")} hint={t("upload.filmHint", { max: formatBytes(language, maxBytes) })} accept="video/*,.mp4,.m4v,.mov,.mkv,.webm,.ts,.avi" />
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

export function SubtitlesUploadForm({ uploadUrl, reply, onUploaded }: FormProps) {
  const t = useT();
  const language = useLanguage();
  const upload = useUpload("subtitles", uploadUrl, onUploaded);
  const current = upload.reply ?? reply;
  const [form, fields] = useForm({
    id: "subtitles",
    lastResult: current?.result,
    constraint: getZodConstraint(subtitlesUploadSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: subtitlesUploadSchema }),
    onSubmit(event, { formData }) {
      event.preventDefault();
      const refused = tooLarge(formData, Number.POSITIVE_INFINITY);
      if (refused) upload.refuse(refused);
      else upload.send(formData);
    },
  });
  return (
    <form method="post" encType="multipart/form-data" {...getFormProps(form)} className="form">
      <input type="hidden" name="intent" value="subtitles" />
      <p>{t("upload.subtitlesIntro")}</p>
      <UploadStatus formId="subtitles" sending={upload.sending} notice={current?.notice ?? null} onCancel={upload.cancel} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <FileField field={fields.subtitles} label={t("upload.subtitlesLabel")} hint={t("upload.subtitlesHint", { max: formatBytes(language, SUBTITLES_MAX_BYTES) })} accept=".vtt,text/vtt" />
      <div>
        <button type="submit" className="button" disabled={upload.sending !== null}>
          {t("upload.subtitlesSubmit")}
        </button>
      </div>
    </form>
  );
}
