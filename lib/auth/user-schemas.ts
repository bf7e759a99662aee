import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_TOO_LONG, PASSWORD_TOO_SHORT } from "./password-rules";
import { ROLES } from "./roles";

const Email = z.string().trim().toLowerCase().pipe(z.email("Enter a valid e-mail address"));
/** Length only; how guessable it is needs the user's e-mail and name and is checked on the server (password-strength.ts). */
const Password = z.string().min(PASSWORD_MIN_LENGTH, PASSWORD_TOO_SHORT).max(PASSWORD_MAX_LENGTH, PASSWORD_TOO_LONG);

export const CreateUserSchema = z.object({
  email: Email,
  name: z.string().trim().min(1, "Enter a name").max(80, "Keep the name under 80 characters"),
  role: z.enum(ROLES, { error: "Choose a role" }),
  password: Password,
});

export const UpdateUserSchema = z.object({
  userId: z.number().int().positive(),
  role: z.enum(ROLES, { error: "Choose a role" }).optional(),
  disabled: z.boolean().optional(),
  password: Password.optional(),
});

export const EndUserSessionsSchema = z.object({ userId: z.number().int().positive() });

/** "End my other sessions" takes nothing: whose sessions, and which one to keep, come from the session itself. */
export const EndOtherSessionsSchema = z.object({}).strict();
