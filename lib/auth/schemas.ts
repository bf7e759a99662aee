import { z } from "zod";

export const SignInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter your e-mail address")),
  password: z.string().min(1, "Enter your password").max(200, "That password is too long"),
  next: z.string().optional(),
});

/** Only same-site relative paths: an attacker must not turn sign-in into an open redirect. */
export function safeReturnPath(next: string | undefined | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}
