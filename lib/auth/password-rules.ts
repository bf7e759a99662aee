/** Password length rules, shared by the forms, their schemas and the configuration. Importable from client code. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
export const PASSWORD_TOO_SHORT = `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
export const PASSWORD_TOO_LONG = `That password is too long (at most ${PASSWORD_MAX_LENGTH} characters).`;
