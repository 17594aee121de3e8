// Succession of administrative units and agencies, as a graph of dated edges "from was succeeded by
// to on date" (the 2025 reorganisation: Kon Tum into Quảng Ngãi, districts into their provinces,
// district project boards into the provincial management boards). Pure: the read model keeps the
// edges, queries resolve them here. History is never rewritten: an edge dated after `asOf` does not
// exist yet for a question asked about that date.
import type { IsoDate } from '../dates.js';

export type SuccessionKind = 'unit' | 'agency';

export interface SuccessionEdge {
  readonly kind: SuccessionKind;
  readonly from: string;
  readonly to: string;
  /** The first day `to` stands for `from`. */
  readonly on: IsoDate;
}

function walk(
  edges: readonly SuccessionEdge[],
  kind: SuccessionKind,
  id: string,
  asOf: IsoDate | undefined,
  step: (e: SuccessionEdge) => [string, string],
): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.kind !== kind || (asOf !== undefined && e.on > asOf)) continue;
    const [a, b] = step(e);
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const seen = new Set([id]);
  const found: string[] = [];
  const queue = [id];
  while (queue.length > 0) {
    for (const n of next.get(queue.shift() as string) ?? []) {
      if (seen.has(n)) continue; // a cycle in bad data must not loop
      seen.add(n);
      found.push(n);
      queue.push(n);
    }
  }
  return found.sort();
}

/** Every id `id` took over, directly or through others, by `asOf` (all dates when absent). */
export const predecessorsOf = (
  edges: readonly SuccessionEdge[],
  kind: SuccessionKind,
  id: string,
  asOf?: IsoDate,
): string[] => walk(edges, kind, id, asOf, (e) => [e.to, e.from]);

/** Every id that took `id` over, directly or through others, by `asOf` (all dates when absent). */
export const successorsOf = (
  edges: readonly SuccessionEdge[],
  kind: SuccessionKind,
  id: string,
  asOf?: IsoDate,
): string[] => walk(edges, kind, id, asOf, (e) => [e.from, e.to]);

/**
 * The ids a filter on `id` matches, as of `asOf`: the id itself and every id it took over. Asking for
 * the new Quảng Ngãi after 1/7/2025 covers old Kon Tum's projects; asking for Kon Tum covers Kon Tum's
 * projects (wherever they were remapped to later: projects keep their unit history), not the rest of
 * Quảng Ngãi's.
 */
export const coveredIds = (
  edges: readonly SuccessionEdge[],
  kind: SuccessionKind,
  id: string,
  asOf?: IsoDate,
): string[] => [id, ...predecessorsOf(edges, kind, id, asOf).filter((p) => p !== id)];

/** A project's unit ids: its province code and its district (or commune) as `<province>:<name>`. */
export const projectUnitIds = (province: string, adminUnit: string): [string, string] => [
  province,
  `${province}:${adminUnit}`,
];
