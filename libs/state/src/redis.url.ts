/**
 * A Redis URL for messages and logs: everything between the scheme and the last `@` is hidden
 * except the user name. The last `@`, not a parse of the URL: a password with an unencoded `@`
 * (`redis://app:p@ss@host`) still connects (the WHATWG parser splits at the last one) and must
 * not show a part of itself either.
 */
export function redactUrl(url: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return url;
  const credentials = rest.slice(0, at);
  const colon = credentials.indexOf(':');
  // Without a colon the whole part may be a password (`redis://secret@host`): hide it all.
  const user = colon < 0 ? '' : `${credentials.slice(0, colon)}:`;
  return `${scheme}${user}***@${rest.slice(at + 1)}`;
}
