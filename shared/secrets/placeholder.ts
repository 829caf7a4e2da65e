/**
 * The URL a secret for an external provider holds from its creation until an operator writes the provider's real
 * values: on the reserved `.invalid` domain (RFC 2606), so nothing can ever call it. The CDK app writes it
 * (`infra/stacks/platform-stack.ts`) and the secret readers recognise it, from this one constant.
 *
 * Never change it: it is part of each secret's generation template, and a changed template makes CloudFormation
 * generate the secret's value again, overwriting the real credentials (asserted in `test/infra/security.test.ts`).
 */
export const SECRET_PLACEHOLDER_URL = 'https://replace-me.invalid';

/** True for a URL on the reserved `.invalid` domain: a placeholder, never a real endpoint. */
export const isPlaceholderUrl = (url: string): boolean => {
  try {
    const host = new URL(url).hostname;
    return host === 'invalid' || host.endsWith('.invalid');
  } catch {
    return false;
  }
};
