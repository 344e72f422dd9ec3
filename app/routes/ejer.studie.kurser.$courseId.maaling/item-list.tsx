import { getInputProps } from "@conform-to/react";
import { Form } from "@remix-run/react";
import type { MeasurementAudience } from "#db/schema";
import { Field, SelectField } from "~/components/field";
import { FormMessage } from "~/components/form-message";
import { MoveButtons, StudioForm, usePageAction } from "~/components/studio-controls";
import { useT } from "~/i18n/i18n";
import { measurementItemSchema } from "~/measurement/forms";
import { useReplyForm } from "~/utils/form-reply";
import { itemFormId, listFormId, type MeasurementBuilderData } from "./route";

type Item = MeasurementBuilderData["items"][number];

/** One item's fields, for a new item (`item` undefined) or one edited in place. */
function ItemForm({
  audience,
  item,
  questions,
}: {
  audience: MeasurementAudience;
  item?: Item;
  questions: MeasurementBuilderData["questions"];
}) {
  const t = useT();
  const { reply, form, fields } = useReplyForm(itemFormId(item?.id ?? null, audience), measurementItemSchema, {
    defaultValue: {
      itemId: item ? String(item.id) : undefined,
      audience,
      kind: item?.kind ?? "statement",
      text: item?.text ?? "",
      lowLabel: item?.lowLabel ?? "",
      highLabel: item?.highLabel ?? "",
      quizQuestionId: item?.quizQuestionId ? String(item.quizQuestionId) : "",
    },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const kind = fields.kind.value ?? "statement";
  return (
    <StudioForm
      form={form}
      intent="saveItem"
      reply={reply}
      submitLabel={t(item ? "measurement.builder.saveItem" : "measurement.builder.addItem")}
    >
      <input {...getInputProps(fields.itemId, { type: "hidden" })} />
      <input {...getInputProps(fields.audience, { type: "hidden" })} />
      {audience === "staff" ? (
        <SelectField
          field={fields.kind}
          label={t("measurement.builder.kind")}
          options={[
            { value: "statement", label: t("measurement.builder.kindStatement") },
            { value: "knowledge", label: t("measurement.builder.kindKnowledge") },
          ]}
        />
      ) : (
        <input {...getInputProps(fields.kind, { type: "hidden" })} />
      )}
      {kind === "knowledge" ? (
        questions.length > 0 ? (
          <SelectField
            field={fields.quizQuestionId}
            label={t("measurement.builder.question")}
            options={[
              { value: "", label: t("measurement.builder.chooseQuestion") },
              ...questions.map((question) => ({
                value: String(question.id),
                label: `${question.moduleTitle}: ${question.text}`,
              })),
            ]}
          />
        ) : (
          <p className="notice">{t("measurement.builder.noQuestions")}</p>
        )
      ) : (
        <>
          <Field
            field={fields.text}
            label={t(audience === "staff" ? "measurement.builder.statement" : "measurement.builder.leaderStatement")}
            hint={t(
              audience === "staff" ? "measurement.builder.statementHint" : "measurement.builder.leaderStatementHint",
            )}
            type="text"
            autoComplete="off"
          />
          <div className="feedback-builder__pair">
            <Field field={fields.lowLabel} label={t("measurement.builder.lowLabel")} type="text" autoComplete="off" />
            <Field field={fields.highLabel} label={t("measurement.builder.highLabel")} type="text" autoComplete="off" />
          </div>
        </>
      )}
    </StudioForm>
  );
}

/** Move up, move down and remove, each a form of its own that the action answers beside the item. */
function ItemButtons({ item, number, first, last }: { item: Item; number: number; first: boolean; last: boolean }) {
  const t = useT();
  const action = usePageAction();
  const title = t("measurement.builder.itemNumber", { number });
  return (
    <div className="studio-controls">
      <MoveButtons
        intent="moveItem"
        fields={{ itemId: item.id, audience: item.audience }}
        title={title}
        first={first}
        last={last}
      />
      <Form method="post" action={action} className="studio-controls__form">
        <input type="hidden" name="intent" value="removeItem" />
        <input type="hidden" name="itemId" value={item.id} />
        <input type="hidden" name="audience" value={item.audience} />
        <button
          type="submit"
          className="button button--secondary button--small"
          aria-label={t("measurement.builder.removeFor", { title })}
        >
          {t("measurement.builder.remove")}
        </button>
      </Form>
    </div>
  );
}

/** One audience's items in order, each editable in place, and a form that adds one more. */
export function ItemList({ audience, data }: { audience: MeasurementAudience; data: MeasurementBuilderData }) {
  const t = useT();
  const items = data.items.filter((item) => item.audience === audience);
  const headingId = `measurement-${audience}-heading`;
  return (
    <section className="card admin-licence" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t(audience === "staff" ? "measurement.builder.staffHeading" : "measurement.builder.leaderHeading")}
      </h2>
      <p>{t(audience === "staff" ? "measurement.builder.staffIntro" : "measurement.builder.leaderIntro")}</p>
      {/* Moves and removals answer above the list: a removed item's place is gone. */}
      <FormMessage formId={listFormId(audience)} />
      {items.length === 0 ? <p className="field__hint">{t("measurement.builder.noItems")}</p> : null}
      <ol className="feedback-builder__questions">
        {items.map((item, index) => (
          <li key={item.id}>
            <div className="card form">
              <h3>{t("measurement.builder.itemNumber", { number: index + 1 })}</h3>
              {item.answerCount > 0 ? (
                <p className="field__hint">{t("measurement.builder.hasAnswers", { count: item.answerCount })}</p>
              ) : null}
              {/* A new key after each save starts the fields afresh from what was saved. */}
              <ItemForm
                key={`${item.kind}:${item.text}:${item.quizQuestionId ?? ""}`}
                audience={audience}
                item={item}
                questions={data.questions}
              />
              <ItemButtons item={item} number={index + 1} first={index === 0} last={index === items.length - 1} />
            </div>
          </li>
        ))}
      </ol>
      <h3>{t("measurement.builder.newItem")}</h3>
      <ItemForm key={`new:${items.length}`} audience={audience} questions={data.questions} />
    </section>
  );
}
