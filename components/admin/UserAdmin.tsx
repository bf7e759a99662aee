"use client";

import { useState, useTransition } from "react";
import { createUserAction, endUserSessionsAction, updateUserAction } from "@/app/(dashboard)/admin/actions";
import { Button } from "@/components/ui/Button";
import { FieldError } from "@/components/ui/FieldError";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import type { UserListItem } from "@/lib/db/queries/users";
import { formatWarsawDateTime, plural } from "@/lib/format/units";
import type { FieldErrors } from "@/lib/server/result";

export function UserAdmin({ initialUsers, currentUserId, liveMode }: { initialUsers: UserListItem[]; currentUserId: number; liveMode: boolean }) {
  const [users, setUsers] = useState(initialUsers);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();

  function run(action: () => ReturnType<typeof updateUserAction>, done: string) {
    startTransition(async () => {
      try {
        const result = await action();
        if (result.ok) {
          setUsers(result.users);
          setErrors({});
          setStatus({ tone: "ok", text: done });
        } else {
          setErrors(result.fieldErrors);
          setStatus({ tone: "error", text: result.message });
        }
      } catch {
        setStatus({ tone: "error", text: "Could not reach the server. Please try again." });
      }
    });
  }

  function signOutEverywhere(user: UserListItem) {
    startTransition(async () => {
      try {
        const result = await endUserSessionsAction({ userId: user.id });
        setStatus(
          result.ok
            ? { tone: "ok", text: `${user.email} was signed out everywhere (${plural(result.ended, "session")} ended).` }
            : { tone: "error", text: result.message },
        );
      } catch {
        setStatus({ tone: "error", text: "Could not reach the server. Please try again." });
      }
    });
  }

  function onCreate(form: FormData, element: HTMLFormElement) {
    const input = {
      email: String(form.get("email") ?? ""),
      name: String(form.get("name") ?? ""),
      role: String(form.get("role") ?? "") as Role,
      password: String(form.get("password") ?? ""),
    };
    run(async () => {
      const result = await createUserAction(input);
      if (result.ok) element.reset();
      return result;
    }, `Created ${input.email}.`);
  }

  return (
    <div className="space-y-8">
      <p role="status" aria-live="polite" className={`min-h-6 text-sm ${status?.tone === "error" ? "text-danger" : "text-ok"}`}>
        {status?.text}
      </p>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">Users</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-500">
            <th scope="col" className="py-2">User</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const self = user.id === currentUserId;
            return (
              <tr key={user.id} className="border-b border-slate-100">
                <td className="py-2">
                  <div className="font-medium">
                    {user.name}
                    {user.isDemo ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-600">demo account</span> : null}
                  </div>
                  <div className="text-slate-500">{user.email}</div>
                </td>
                <td>
                  <label className="sr-only" htmlFor={`role-${user.id}`}>Role of {user.email}</label>
                  <select
                    id={`role-${user.id}`}
                    value={user.role}
                    disabled={pending || self}
                    onChange={(event) => run(() => updateUserAction({ userId: user.id, role: event.target.value as Role }), `Role of ${user.email} changed.`)}
                    className="rounded-md border border-slate-300 px-2 py-1"
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>{role}</option>
                    ))}
                  </select>
                </td>
                <td>{formatWarsawDateTime(user.createdAt)}</td>
                <td>{user.disabledAt ? <span className="text-danger">Disabled</span> : <span className="text-ok">Active</span>}</td>
                <td className="space-x-2 whitespace-nowrap text-right">
                  {!self ? (
                    <>
                      <Button variant="secondary" size="sm" disabled={pending} onClick={() => signOutEverywhere(user)} aria-label={`Sign out everywhere: ${user.email}`}>
                        Sign out everywhere
                      </Button>
                      <Button
                        variant="secondary"
                        size="sm"
                        // Demo accounts cannot be enabled in live mode (lib/auth/users.ts says why).
                        disabled={pending || (liveMode && user.isDemo && Boolean(user.disabledAt))}
                        title={liveMode && user.isDemo && user.disabledAt ? "Demo accounts stay disabled in live mode" : undefined}
                        onClick={() =>
                          run(
                            () => updateUserAction({ userId: user.id, disabled: !user.disabledAt }),
                            `${user.email} ${user.disabledAt ? "enabled" : "disabled"}.`,
                          )
                        }
                      >
                        {user.disabledAt ? "Enable" : "Disable"}
                      </Button>
                    </>
                  ) : (
                    <span className="text-xs text-slate-500">you</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <form
        aria-labelledby="add-user-heading"
        className="grid max-w-2xl grid-cols-1 gap-4 rounded-lg border border-slate-200 bg-white p-5 md:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          onCreate(new FormData(event.currentTarget), event.currentTarget);
        }}
        noValidate
      >
        <h2 id="add-user-heading" className="text-lg font-semibold md:col-span-2">Add a user</h2>
        {(
          [
            ["email", "E-mail", "email"],
            ["name", "Name", "text"],
            ["password", `First password (${PASSWORD_MIN_LENGTH}+ characters)`, "password"],
          ] as const
        ).map(([name, label, type]) => (
          <div key={name}>
            <label htmlFor={`new-${name}`} className="block text-sm font-medium">{label}</label>
            <input
              id={`new-${name}`}
              name={name}
              type={type}
              autoComplete={name === "password" ? "new-password" : "off"}
              aria-invalid={errors[name] ? true : undefined}
              aria-describedby={`new-${name}-error`}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
            />
            <FieldError id={`new-${name}-error`} messages={errors[name]} />
          </div>
        ))}
        <div>
          <label htmlFor="new-role" className="block text-sm font-medium">Role</label>
          <select id="new-role" name="role" defaultValue="sender" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2">
            {ROLES.map((role) => (
              <option key={role} value={role}>{ROLE_LABELS[role]}</option>
            ))}
          </select>
        </div>
        <div className="md:col-span-2">
          <Button type="submit" disabled={pending}>{pending ? "Saving…" : "Add user"}</Button>
        </div>
      </form>
    </div>
  );
}
