/** Who may do what. Plain data so the UI can hide what a role cannot use; the server enforces it. */
export const ROLES = ["viewer", "sender", "admin"] as const;
export type Role = (typeof ROLES)[number];

const rank: Record<Role, number> = { viewer: 0, sender: 1, admin: 2 };

export function hasRole(actual: Role, needed: Role): boolean {
  return rank[actual] >= rank[needed];
}

export const ROLE_LABELS: Record<Role, string> = {
  viewer: "Viewer (library and history)",
  sender: "Sender (upload, compose, send)",
  admin: "Admin (everything, plus delete media and manage users)",
};

export type SessionUser = { id: number; email: string; name: string; role: Role };
