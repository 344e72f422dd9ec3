import { useT } from "~/i18n/i18n";
import { refusalOf, type FormReply } from "~/utils/form-reply";

/**
 * Above a form: the refusal its last submission got, said in the reader's language, or else the
 * confirmation. `id` lets the form point at the refusal with aria-describedby.
 */
export function FormMessage({ reply, id }: { reply: FormReply | undefined; id?: string }) {
  const t = useT();
  const refusal = refusalOf(reply);
  if (refusal) {
    return (
      <p className="notice notice--error" role="alert" id={id}>
        {t(refusal, reply?.refusalValues)}
      </p>
    );
  }
  return reply?.notice ? (
    <p className="notice" role="status">
      {t(reply.notice.key, reply.notice.values)}
    </p>
  ) : null;
}
