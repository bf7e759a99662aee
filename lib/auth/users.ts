import "server-only";
import type { z } from "zod";
import { getConfig } from "@/lib/config/env";
import { getAppDb } from "@/lib/db";
import { endOtherSessions } from "./current";
import { findUserByEmail, findUserById, insertUser, listUsers, updateUser, type UserListItem } from "@/lib/db/queries/users";
import type { GuardContext } from "@/lib/server/guard";
import { type ActionResult, failure } from "@/lib/server/result";
import { hashPassword } from "./password";
import { passwordProblem } from "./password-strength";
import { deleteUserSessions } from "./sessions";
import type { CreateUserSchema, EndOtherSessionsSchema, EndUserSessionsSchema, UpdateUserSchema } from "./user-schemas";

const refusedPassword = (problem: string) => failure("invalid", problem, { password: [problem] });

export async function createUser(input: z.output<typeof CreateUserSchema>, ctx: GuardContext): Promise<ActionResult<{ users: UserListItem[] }>> {
  const db = getAppDb();
  if (findUserByEmail(db, input.email)) {
    return failure("conflict", "A user with that e-mail already exists.", { email: ["A user with that e-mail already exists."] });
  }
  const problem = await passwordProblem(input.password, { email: input.email, name: input.name });
  if (problem) return refusedPassword(problem);
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
  // Start-up disables demo accounts in live mode (bootstrap.ts); their passwords are in the README.
  if (input.disabled === false && target.isDemo && getConfig().gateway.mode === "live") {
    return failure("conflict", "Demo accounts stay disabled while live gateway credentials are configured: their passwords are published.");
  }
  if (input.password) {
    const problem = await passwordProblem(input.password, { email: target.email, name: target.name });
    if (problem) return refusedPassword(problem);
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

/** "Sign out everywhere": an admin ends every session of a user (a lost laptop, a leaver). */
export async function endUserSessions(input: z.output<typeof EndUserSessionsSchema>, ctx: GuardContext): Promise<ActionResult<{ ended: number }>> {
  const db = getAppDb();
  const target = findUserById(db, input.userId);
  if (!target) return failure("not_found", "That user no longer exists.");
  const ended = deleteUserSessions(db, target.id);
  ctx.audit("sessions_ended", target.email, { userId: target.id, ended });
  return { ok: true, ended };
}

/** Any signed-in user ends their own other sessions, keeping the one they are using. */
export async function endOwnOtherSessions(_input: z.output<typeof EndOtherSessionsSchema>, ctx: GuardContext): Promise<ActionResult<{ ended: number }>> {
  const ended = await endOtherSessions(ctx.user);
  ctx.audit("other_sessions_ended", ctx.user.email, { userId: ctx.user.id, ended });
  return { ok: true, ended };
}
