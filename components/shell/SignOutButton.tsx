import { signOut } from "@/app/signin/actions";

export function SignOutButton() {
  return (
    <form action={signOut}>
      <button type="submit" className="rounded-md border border-white/30 px-3 py-1.5 text-sm hover:bg-white/10">
        Sign out
      </button>
    </form>
  );
}
