import type { Scalar } from './pattern-leaf.js';

/** Which element of which array of the event a value sits in: array id → element index. */
export type ArrayMembership = ReadonlyMap<number, number>;

/** One leaf value of an event, with the array elements that contain it. */
export interface EventField {
  readonly value: Scalar;
  readonly membership: ArrayMembership;
}

/** An event flattened as Event Ruler sees it: leaf values by dot-joined path. */
export type FlatEvent = ReadonlyMap<string, readonly EventField[]>;

const NO_MEMBERSHIP: ArrayMembership = new Map();

const isScalar = (candidate: unknown): candidate is Scalar =>
  candidate === null || ['string', 'number', 'boolean'].includes(typeof candidate);

/**
 * Flattens an event into its leaf values by path. Keys are joined with `.` whatever their own characters, so
 * `{"a":{"b":1}}` and `{"a.b":1}` both hold `a.b` (the dot-joining that the pattern documentation warns about);
 * arrays add no path step ("crushed out") but record, per value, which element of which array holds it, so that
 * matching can stay array-consistent. Empty objects and arrays hold no leaf.
 */
export const flattenEvent = (event: unknown): FlatEvent => {
  const fields = new Map<string, EventField[]>();
  let arrays = 0;
  const visit = (node: unknown, path: string, membership: ArrayMembership): void => {
    if (Array.isArray(node)) {
      const id = arrays;
      arrays += 1;
      node.forEach((element, index) => {
        const inside = new Map(membership);
        inside.set(id, index);
        visit(element, path, inside);
      });
      return;
    }
    if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node))
        visit(child, path === '' ? key : `${path}.${key}`, membership);
      return;
    }
    if (!isScalar(node) || path === '') return;
    let values = fields.get(path);
    if (values === undefined) {
      values = [];
      fields.set(path, values);
    }
    values.push({ value: node, membership });
  };
  if (typeof event === 'object' && event !== null && !Array.isArray(event)) visit(event, '', NO_MEMBERSHIP);
  return fields;
};

/**
 * The union of two memberships, or undefined when they disagree (two values in different elements of one array):
 * Event Ruler never lets one match take fields from different elements of the same array.
 */
export const mergeMembership = (a: ArrayMembership, b: ArrayMembership): ArrayMembership | undefined => {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  let merged: Map<number, number> | undefined;
  for (const [array, index] of b) {
    const other = a.get(array);
    if (other === undefined) {
      merged ??= new Map(a);
      merged.set(array, index);
    } else if (other !== index) return undefined;
  }
  return merged ?? a;
};
