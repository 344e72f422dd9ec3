import { z } from "zod";
import type { MessageKey } from "~/i18n/da";

// Messages are dictionary keys, so the same schema speaks Danish or English where it is shown.
const message = (key: MessageKey) => ({ message: key });

const email = z
  .string(message("validation.required"))
  .trim()
  .min(1, message("validation.required"))
  .max(254, message("validation.email"))
  .email(message("validation.email"));

const newPassword = z
  .string(message("validation.required"))
  .min(10, message("validation.passwordShort"))
  .max(200, message("validation.passwordLong"));

export const signInSchema = z.object({
  email,
  password: z.string(message("validation.required")).min(1, message("validation.required")).max(200, message("validation.passwordLong")),
  redirectTo: z.string().optional(),
});

export const forgotPasswordSchema = z.object({ email });

export const resetPasswordSchema = z
  .object({
    password: newPassword,
    confirm: z.string(message("validation.required")),
  })
  .refine((value) => value.password === value.confirm, {
    ...message("validation.passwordMismatch"),
    path: ["confirm"],
  });
