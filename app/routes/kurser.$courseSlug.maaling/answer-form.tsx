import { getCollectionProps, getFormProps, type FieldMetadata } from "@conform-to/react";
import { Form, useLocation } from "@remix-run/react";
import { useMemo } from "react";
import { FieldErrors } from "~/components/field";
import { ScaleField } from "~/components/scale-field";
import { FormMessage } from "~/components/form-message";
import { useT } from "~/i18n/i18n";
import type { MeasurementItemView } from "~/measurement/answers.server";
import { answersSchema, itemField, STATEMENT_MAX, STATEMENT_MIN } from "~/measurement/forms";
import { useReplyForm } from "~/utils/form-reply";
import type { MeasurementPageData } from "./route";

export const ANSWER_FORM = "measurement-answers";

type ItemProps = { item: MeasurementItemView; field: FieldMetadata<string | string[] | undefined> };

/** A quiz question asked again: one option, or several for a question that has more than one right. */
function Knowledge({ item, field }: ItemProps) {
  const t = useT();
  const multiple = item.questionKind === "multiple";
  const texts = new Map(item.options.map((option) => [String(option.id), option.text]));
  const hintId = `${field.id}-hint`;
  return (
    <fieldset
      className="field feedback-question"
      aria-describedby={[hintId, field.errors ? field.errorId : ""].join(" ").trim()}
    >
      <legend>{item.text}</legend>
      <p className="field__hint" id={hintId}>
        {t(multiple ? "measurement.answer.chooseSeveral" : "measurement.answer.chooseOne")}
      </p>
      {getCollectionProps(field, {
        type: multiple ? "checkbox" : "radio",
        options: [...texts.keys()],
        ariaAttributes: false,
      }).map(({ key, ...props }) => (
        <div className="checkbox" key={key}>
          <input {...props} />
          <label htmlFor={props.id}>{texts.get(props.value)}</label>
        </div>
      ))}
      <FieldErrors field={field} />
    </fieldset>
  );
}

/** The moment's items, with "Send" and "Spring over": skipping is always allowed and never blocks the films. */
export function AnswerForm({ data }: { data: MeasurementPageData }) {
  const t = useT();
  const location = useLocation();
  // The moment and where to go on to are in the address; both forms post to it as it is.
  const action = `${location.pathname}${location.search}`;
  const items = data.page.items;
  const schema = useMemo(() => answersSchema(items), [items]);
  const { reply, form, fields } = useReplyForm(ANSWER_FORM, schema, {
    constraint: true,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <>
      <Form method="post" action={action} {...getFormProps(form)} className="form card">
        <FormMessage reply={reply} id={form.errorId} />
        <input type="hidden" name="intent" value="answer" />
        {items.map((item) => {
          const field = fields[itemField(item.id)] as ItemProps["field"];
          return item.kind === "statement" ? (
            <ScaleField
              key={item.id}
              legend={item.text}
              min={STATEMENT_MIN}
              max={STATEMENT_MAX}
              low={item.lowLabel ?? ""}
              high={item.highLabel ?? ""}
              field={field}
            />
          ) : (
            <Knowledge key={item.id} item={item} field={field} />
          );
        })}
        <div>
          <button type="submit" className="button">
            {t("measurement.page.submit")}
          </button>
        </div>
      </Form>
      <Form method="post" action={action} className="form">
        <input type="hidden" name="intent" value="skip" />
        <p className="field__hint">{t("measurement.page.skipHint")}</p>
        <div>
          <button type="submit" className="button button--secondary">
            {t("measurement.page.skip")}
          </button>
        </div>
      </Form>
    </>
  );
}
