"use server";

import { CreateUserSchema, EndUserSessionsSchema, UpdateUserSchema } from "@/lib/auth/user-schemas";
import { createUser, endUserSessions, updateUserAccount } from "@/lib/auth/users";
import { defineAction } from "@/lib/server/guard";

export const createUserAction = defineAction({ name: "createUser", role: "admin", input: CreateUserSchema }, createUser);

export const updateUserAction = defineAction({ name: "updateUser", role: "admin", input: UpdateUserSchema }, updateUserAccount);

export const endUserSessionsAction = defineAction({ name: "endUserSessions", role: "admin", input: EndUserSessionsSchema }, endUserSessions);
