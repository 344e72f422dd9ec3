import { useT } from "~/i18n/i18n";
import { refusalOf, useFormReply, type FormReply } from "~/utils/form-reply";

/**
 * Which reply to show: one the form already read (`reply`), or the action's reply to the form
 * `formId`, read here, for a message that stands apart from any form (above a list whose rows'
 * forms vanish once used). Every reply has the same shape, so no action's type is needed for it.
 */
type Source = { reply: FormReply | undefined; formId?: never } | { formId: string; reply?: never };

/**
 * Above a form: the refusal its last submission got, said in the reader's language, or else the
 * confirmation. `id` lets the form point at the refusal with aria-describedby.
 */
export function FormMessage({ reply, formId, id }: Source & { id?: string }) {
  const t = useT();
  const sent = useFormReply(formId);
  const shown = reply ?? sent;
  const refusal = refusalOf(shown);
  if (refusal) {
    return (
      <p className="notice notice--error" role="alert" id={id}>
        {t(refusal, shown?.refusalValues)}
      </p>
    );
  }
  return shown?.notice ? (
    <p className="notice" role="status">
      {t(shown.notice.key, shown.notice.values)}
    </p>
  ) : null;
}
