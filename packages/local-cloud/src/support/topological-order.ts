/**
 * The one topological sort of the local cloud (stacks by their dependencies, a stack's resources by their references):
 * every id comes after the ids it depends on, in the order given where they are independent, so a deploy is
 * deterministic. A cycle is an error: `cycleError` receives the ids on it, first to last.
 */
export const topologicalOrder = (
  ids: readonly string[],
  dependenciesOf: (id: string) => Iterable<string>,
  cycleError: (cycle: readonly string[]) => Error,
): string[] => {
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: readonly string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw cycleError([...path, id]);
    state.set(id, 'visiting');
    for (const dependency of dependenciesOf(id)) visit(dependency, [...path, id]);
    state.set(id, 'done');
    ordered.push(id);
  };
  for (const id of ids) visit(id, []);
  return ordered;
};
