import { BreakwaterError } from '../errors';

/**
 * Friendly names for what the operator CLIs act on. A resource is known by its stack-output key (`BillingDlq` for
 * `BillingDlqUrl`), that key in kebab case (`billing-dlq`), and for a consumer's queue its owner alone (`billing`).
 * Names compare without case, dashes or underscores, so `billing-dlq`, `BillingDlq` and `billing_dlq` are one name.
 */
export interface NamedResource {
  /** What the CLI acts on: a queue URL, a circuit id. */
  readonly id: string;
  /** The name shown in lists and suggestions (kebab case). */
  readonly label: string;
  /** Every name it answers to. */
  readonly names: readonly string[];
}

/** `billing-dlq`, `BillingDlq` and `billing_dlq` all become `billingdlq`. Pure. */
export const normalizeName = (name: string): string => name.toLowerCase().replace(/[-_\s.]/g, '');

/** `BillingTargetDlq` → `billing-target-dlq`. Pure. */
export const kebabCase = (pascal: string): string =>
  pascal
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

/** CDK's own outputs (cross-stack references) are not names a user types. */
const isGeneratedOutput = (key: string): boolean => /^(ExportsOutput|PublishOutput)/.test(key);

/** Queues named by stack outputs `<Stem>Url` whose stem ends in `Queue` or `Dlq`. Pure. */
export const queueCatalog = (outputs: Readonly<Record<string, string>>): NamedResource[] =>
  Object.entries(outputs).flatMap(([key, url]) => {
    const match = /^(.+(?:Queue|Dlq))Url$/.exec(key);
    if (match === null || isGeneratedOutput(key)) return [];
    const stem = match[1] ?? key;
    const owner = stem.endsWith('Queue') ? stem.slice(0, -'Queue'.length) : undefined;
    const names = [stem, `${stem}Url`, `${stem}Arn`, ...(owner === undefined || owner === '' ? [] : [owner])];
    return [{ id: url, label: kebabCase(stem), names }];
  });

/** Circuits named by stack outputs `<Stem>CircuitId` (the value is the circuit id in the breaker table). Pure. */
export const circuitCatalog = (outputs: Readonly<Record<string, string>>): NamedResource[] =>
  Object.entries(outputs).flatMap(([key, circuitId]) => {
    const match = /^(.+)CircuitId$/.exec(key);
    if (match === null || isGeneratedOutput(key)) return [];
    const stem = match[1] ?? key;
    return [{ id: circuitId, label: circuitId, names: [circuitId, key, `${stem}Circuit`, stem] }];
  });

/** Every resource answering to `reference`, at most once each. Pure. */
export const matchName = (catalog: readonly NamedResource[], reference: string): NamedResource[] => {
  const wanted = normalizeName(reference);
  const found = catalog.filter((resource) => resource.names.some((name) => normalizeName(name) === wanted));
  return found.filter((resource, index) => found.findIndex((other) => other.id === resource.id) === index);
};

const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};

/**
 * Labels of the closest names to a reference that matched nothing: within a third of its length in edits (at least
 * 2), or starting with it; closest first, at most `max`. Pure.
 */
export const suggestNames = (labels: readonly string[], reference: string, max = 3): string[] => {
  const wanted = normalizeName(reference);
  const scored = [...new Set(labels)]
    .map((label) => {
      const name = normalizeName(label);
      const distance = name.startsWith(wanted) && wanted.length >= 3 ? 0.5 : editDistance(wanted, name);
      return { label, distance };
    })
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(wanted.length / 3)));
  return scored
    .sort((a, b) => a.distance - b.distance || a.label.localeCompare(b.label))
    .slice(0, max)
    .map(({ label }) => label);
};

/** "did you mean a or b?", or the known names when none is close, or nothing when none is known. Pure. */
export const didYouMean = (labels: readonly string[], reference: string): string => {
  const close = suggestNames(labels, reference);
  if (close.length > 0) return `; did you mean ${close.join(' or ')}?`;
  const known = [...new Set(labels)].sort();
  if (known.length === 0) return '';
  return `; known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''}`;
};

/** A friendly name that names several resources. */
export class AmbiguousNameError extends BreakwaterError {
  public constructor(what: string, reference: string, labels: readonly string[]) {
    super(`${what} '${reference}' is ambiguous: it names ${labels.join(', ')}; use one of those`);
    this.name = 'AmbiguousNameError';
  }
}
