/**
 * Masks an email address for logs and error messages: `jane@example.com` → `j***@example.com`.
 * The domain is kept (it helps spot a wrong address); the local part is not.
 */
export function maskEmail(email: string | undefined | null): string {
  if (!email) return '***';
  const at = email.lastIndexOf('@');
  if (at < 0) return '***';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return `${local.slice(0, 1)}***@${domain}`;
}
