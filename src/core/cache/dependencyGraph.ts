/**
 * What cached reports rest on, between sessions: every module file the analysis read, by a stamp of its
 * content, with the names looked up in its scope and the file each led to. A report is still right when
 * its own file and every file it can reach through those lookups are unchanged, and each name still leads
 * where it led.
 */
export interface GraphNode {
  /** Identifies the file's content: a digest of its text, or its modification time. */
  stamp: string;
  /** Name looked up in the file's scope -> the file it led to (null: none). */
  lookups: Array<[string, string | null]>;
}

export type DependencyGraph = Map<string, GraphNode>;

export interface GraphCheck {
  /** The file's stamp now (undefined: gone, or unknown). */
  stampOf(file: string): string | undefined;
  /** Where the name looked up leads now, given where it led. */
  leadsTo(name: string, led: string | null): string | null;
}

/**
 * The files of `graph` that are unchanged and reach only unchanged files: a file changed, a name that
 * now leads elsewhere, or a file the graph does not know taints every file that reaches it (iteratively,
 * along the lookups backwards).
 */
export function unchangedFiles(graph: DependencyGraph, check: GraphCheck): Set<string> {
  const reachedFrom = new Map<string, string[]>();
  const tainted: string[] = [];
  const leads = new Map<string, string | null>();
  for (const [file, node] of graph) {
    let changed = check.stampOf(file) !== node.stamp;
    for (const [name, led] of node.lookups) {
      if (led !== null) {
        const from = reachedFrom.get(led);
        if (from) from.push(file);
        else reachedFrom.set(led, [file]);
      }
      if (changed) continue;
      const key = `${name}\0${led ?? ''}`;
      let now = leads.get(key);
      if (now === undefined) {
        now = check.leadsTo(name, led);
        leads.set(key, now);
      }
      changed = now !== led || (led !== null && !graph.has(led));
    }
    if (changed) tainted.push(file);
  }
  const stale = new Set(tainted);
  for (let file = tainted.pop(); file !== undefined; file = tainted.pop()) {
    for (const reaching of reachedFrom.get(file) ?? []) {
      if (stale.has(reaching)) continue;
      stale.add(reaching);
      tainted.push(reaching);
    }
  }
  return new Set([...graph.keys()].filter((file) => !stale.has(file)));
}

/**
 * `recorded` (this session's nodes) over the nodes of `previous` still unchanged: a node of the same
 * stamp in both keeps the lookups of both (a session resolves only the names it needed).
 */
export function mergeGraphs(previous: DependencyGraph | undefined, unchanged: ReadonlySet<string>, recorded: DependencyGraph): DependencyGraph {
  const merged: DependencyGraph = new Map();
  for (const [file, node] of previous ?? []) if (unchanged.has(file)) merged.set(file, node);
  for (const [file, node] of recorded) {
    const old = merged.get(file);
    if (!old || old.stamp !== node.stamp) {
      merged.set(file, node);
      continue;
    }
    const lookups = new Map(old.lookups);
    for (const [name, led] of node.lookups) lookups.set(name, led);
    merged.set(file, { stamp: node.stamp, lookups: [...lookups] });
  }
  return merged;
}
