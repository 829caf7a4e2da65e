/** `billing-target-dlq` → `BillingTargetDlq`: construct ids and output keys from kebab-case names. */
export function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
