/**
 * The gateway's own recipient check, deliberately simpler than the app's libphonenumber validation:
 * after stripping spaces, dashes, dots and parentheses it takes `+` and 8–15 digits, or a Polish number
 * as 9 digits, `48` + 9 digits or `0048` + 9 digits (Polish numbers are auto-prefixed, reference §5).
 * Returns the number in international `+…` form, or null for what the gateway reports as 3103.
 */
export function normalizeGatewayPhone(input: string): string | null {
  const compact = input.replace(/[\s\-.()]/g, "");
  if (/^\+\d{8,15}$/.test(compact)) return compact;
  if (/^\d{9}$/.test(compact)) return `+48${compact}`;
  if (/^48\d{9}$/.test(compact)) return `+${compact}`;
  if (/^0048\d{9}$/.test(compact)) return `+${compact.slice(2)}`;
  return null;
}
