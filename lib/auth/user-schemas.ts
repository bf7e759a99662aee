import { z } from "zod";
import { ROLES } from "./roles";

const Email = z.string().trim().toLowerCase().pipe(z.email("Enter a valid e-mail address"));
const Password = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(200, "That password is too long");

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
