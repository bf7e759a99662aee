"use server";

import { EndOtherSessionsSchema } from "@/lib/auth/user-schemas";
import { endOwnOtherSessions } from "@/lib/auth/users";
import { defineAction } from "@/lib/server/guard";

export const endOtherSessionsAction = defineAction({ name: "endOtherSessions", role: "viewer", input: EndOtherSessionsSchema }, endOwnOtherSessions);
