import "server-only";
import type { z } from "zod";
import { getAppDb } from "@/lib/db";
import { findUserByEmail, findUserById, insertUser, listUsers, updateUser, type UserListItem } from "@/lib/db/queries/users";
import type { GuardContext } from "@/lib/server/guard";
import { type ActionResult, failure } from "@/lib/server/result";
import { hashPassword } from "./password";
import { deleteUserSessions } from "./sessions";
import type { CreateUserSchema, UpdateUserSchema } from "./user-schemas";

export async function createUser(input: z.output<typeof CreateUserSchema>, ctx: GuardContext): Promise<ActionResult<{ users: UserListItem[] }>> {
  const db = getAppDb();
  if (findUserByEmail(db, input.email)) {
    return failure("conflict", "A user with that e-mail already exists.", { email: ["A user with that e-mail already exists."] });
  }
  const id = insertUser(db, { email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password), createdAt: Date.now() });
  ctx.audit("user_created", input.email, { userId: id, role: input.role });
  return { ok: true, users: listUsers(db) };
}

export async function updateUserAccount(input: z.output<typeof UpdateUserSchema>, ctx: GuardContext): Promise<ActionResult<{ users: UserListItem[] }>> {
  const db = getAppDb();
  const target = findUserById(db, input.userId);
  if (!target) return failure("not_found", "That user no longer exists.");
  // An admin who demotes or disables themselves could leave nobody able to manage users.
  if (target.id === ctx.user.id && (input.disabled || (input.role && input.role !== "admin"))) {
    return failure("conflict", "You cannot disable yourself or remove your own admin role. Ask another admin.");
  }
  updateUser(db, target.id, {
    ...(input.role ? { role: input.role } : {}),
    ...(input.disabled !== undefined ? { disabledAt: input.disabled ? Date.now() : null } : {}),
    ...(input.password ? { passwordHash: await hashPassword(input.password) } : {}),
  });
  // Role, status or password changes take effect at once: existing sessions are signed out.
  deleteUserSessions(db, target.id);
  ctx.audit("user_updated", target.email, {
    userId: target.id,
    role: input.role ?? null,
    disabled: input.disabled ?? null,
    passwordReset: Boolean(input.password),
  });
  return { ok: true, users: listUsers(db) };
}
