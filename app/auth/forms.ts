import { z } from "zod";
import { message, safeLine } from "~/utils/form-schema";

export const emailField = z
  .string(message("validation.required"))
  .trim()
  .min(1, message("validation.required"))
  .max(254, message("validation.email"))
  .email(message("validation.email"));

const newPassword = z
  .string(message("validation.required"))
  .min(10, message("validation.passwordShort"))
  .max(200, message("validation.passwordLong"));

/** The first step of signing in: the address decides whether the municipality's own login takes over. */
export const signInEmailSchema = z.object({
  intent: z.literal("email"),
  email: emailField,
  redirectTo: z.string().optional(),
});

export const signInSchema = z.object({
  email: emailField,
  password: z
    .string(message("validation.required"))
    .min(1, message("validation.required"))
    .max(200, message("validation.passwordLong")),
  redirectTo: z.string().optional(),
});

export const forgotPasswordSchema = z.object({ email: emailField });

/** A new password typed twice; `extra` adds fields such as the person's name. */
export function newPasswordSchema<T extends z.ZodRawShape>(extra: T) {
  return z
    .object({
      ...extra,
      password: newPassword,
      confirm: z.string(message("validation.required")),
    })
    .refine((value) => value.password === value.confirm, {
      ...message("validation.passwordMismatch"),
      path: ["confirm"],
    });
}

export const resetPasswordSchema = newPasswordSchema({});

export const acceptInvitationSchema = newPasswordSchema({
  name: z
    .string(message("validation.nameRequired"))
    .trim()
    .min(1, message("validation.nameRequired"))
    .max(120, message("validation.nameRequired"))
    .refine(...safeLine),
});
