package nl.onderdak.matching.engine;

import java.util.Arrays;

/**
 * Minimum-cost matching that matches <em>every</em> source, on a sparse bipartite graph: the
 * Hungarian method with one Dijkstra per source that stops at the first free target (as in
 * Jonker–Volgenant). When free targets are plentiful each search ends after a few steps.
 *
 * <p>Each source's arcs must come cheapest first: a search stops scanning them at the first arc that cannot
 * reach a target sooner than the free target already found (prices never rise above 0, so no later arc can).
 *
 * <p>Duals: target prices {@code v} (0 for free targets, never positive) and source values
 * {@code u[s] = cost(s, match(s)) − v[match(s)]}; every arc has {@code cost − u − v ≥ 0} and every
 * matched arc is tight, which proves the matching optimal among those matching every source.
 */
final class SaturatingSolver {
  private final int sources;
  private final int targets;
  private final int[] start;
  private final int[] target;
  private final int[] cost;
  final int[] matchArc;
  final int[] matchOfTarget;
  final long[] v;
  long pops;
  int searches;

  private final long[] dist;
  private final int[] predArc;
  private final boolean[] done;
  private final int[] touched;
  private final LongHeap heap;

  SaturatingSolver(int sources, int targets, int[] start, int[] target, int[] cost) {
    this.sources = sources;
    this.targets = targets;
    this.start = start;
    this.target = target;
    this.cost = cost;
    this.matchArc = new int[sources];
    this.matchOfTarget = new int[targets];
    Arrays.fill(matchArc, -1);
    Arrays.fill(matchOfTarget, -1);
    this.v = new long[targets];
    this.dist = new long[targets];
    Arrays.fill(dist, Long.MAX_VALUE);
    this.predArc = new int[targets];
    this.done = new boolean[targets];
    this.touched = new int[targets];
    this.heap = new LongHeap(64);
  }

  long u(int s) {
    int e = matchArc[s];
    return cost[e] - v[target[e]];
  }

  /** Matches every source; throws if some source cannot be matched (the caller guarantees it can). */
  void solve() {
    // Start: each source on one of its cheapest arcs when that target is still free. With all prices at
    // 0 these pairs are tight and every arc's reduced cost is non-negative, so the duals hold from the
    // start; most sources never need a search.
    for (int s = 0; s < sources; s++) {
      int best = -1;
      for (int e = start[s]; e < start[s + 1]; e++) {
        if (matchOfTarget[target[e]] < 0 && (best < 0 || cost[e] < cost[best])) {
          best = e;
        }
      }
      if (best >= 0 && cost[best] == minimumCost(s)) {
        matchArc[s] = best;
        matchOfTarget[target[best]] = s;
      }
    }
    // Sources with the fewest arcs first: they have the least room, and searching for them while the
    // graph is still open is cheap; the well-connected ones adapt later.
    Integer[] order = new Integer[sources];
    for (int s = 0; s < sources; s++) {
      order[s] = s;
    }
    java.util.Arrays.sort(order, java.util.Comparator.comparingInt(s -> start[s + 1] - start[s]));
    for (int s : order) {
      if (matchArc[s] < 0) {
        searches++;
        augmentFrom(s);
      }
    }
  }

  private int minimumCost(int s) {
    int min = Integer.MAX_VALUE;
    for (int e = start[s]; e < start[s + 1]; e++) {
      min = Math.min(min, cost[e]);
    }
    return min;
  }

  private void augmentFrom(int root) {
    int touchedCount = 0;
    heap.clear();
    // The nearest free target seen so far: nothing at or beyond it needs to enter the heap.
    long bestFree = Long.MAX_VALUE;
    int bestFreeTarget = -1;
    for (int e = start[root]; e < start[root + 1]; e++) {
      if (cost[e] > bestFree) {
        break; // arcs are cheapest first and prices are never positive: no later arc gets closer
      }
      int t = target[e];
      long d = cost[e] - v[t];
      if (d < dist[t]) {
        if (dist[t] == Long.MAX_VALUE) {
          touched[touchedCount++] = t;
        }
        dist[t] = d;
        predArc[t] = e;
        if (matchOfTarget[t] < 0 && d < bestFree) {
          bestFree = d;
          bestFreeTarget = t;
        }
        if (d <= bestFree) {
          heap.push(d, t);
        }
      }
    }
    int doneCount = 0;
    int[] doneList = new int[16];
    int free = -1;
    long best = 0;
    while (!heap.isEmpty()) {
      long d = heap.topKey();
      if (d >= bestFree) {
        // Nothing left in the heap is nearer than the free target already found: its distance is final,
        // and settling the nodes at the same distance (zero-cost plateaus are common) would change nothing.
        break;
      }
      int t = heap.popValue();
      if (done[t] || d > dist[t]) {
        continue;
      }
      done[t] = true;
      pops++;
      if (doneCount == doneList.length) {
        doneList = Arrays.copyOf(doneList, doneCount * 2);
      }
      doneList[doneCount++] = t;
      int s = matchOfTarget[t];
      if (s < 0) {
        free = t;
        best = d;
        break;
      }
      long base = d - u(s);
      for (int e = start[s]; e < start[s + 1]; e++) {
        if (base + cost[e] > bestFree) {
          break;
        }
        int t2 = target[e];
        if (done[t2] || e == matchArc[s]) {
          continue;
        }
        long nd = base + cost[e] - v[t2];
        if (nd < dist[t2]) {
          if (dist[t2] == Long.MAX_VALUE) {
            touched[touchedCount++] = t2;
          }
          dist[t2] = nd;
          predArc[t2] = e;
          if (matchOfTarget[t2] < 0 && nd < bestFree) {
            bestFree = nd;
            bestFreeTarget = t2;
          }
          if (nd <= bestFree) {
            heap.push(nd, t2);
          }
        }
      }
    }
    if (free < 0 && bestFreeTarget >= 0) {
      free = bestFreeTarget;
      best = bestFree;
    }
    if (free < 0) {
      throw new IllegalStateException("source " + root + " cannot be matched");
    }
    // Prices of the targets settled before the free one fall by how much closer they were.
    for (int i = 0; i < doneCount; i++) {
      int t = doneList[i];
      v[t] += dist[t] - best;
    }
    // Flip the path back to the root.
    int t = free;
    while (true) {
      int e = predArc[t];
      int s = arcSource(e);
      int previous = matchArc[s] < 0 ? -1 : target[matchArc[s]];
      matchArc[s] = e;
      matchOfTarget[t] = s;
      if (s == root) {
        break;
      }
      t = previous;
    }
    for (int i = 0; i < touchedCount; i++) {
      dist[touched[i]] = Long.MAX_VALUE;
      done[touched[i]] = false;
    }
  }

  private int[] arcSources;

  private int arcSource(int e) {
    if (arcSources == null) {
      arcSources = Csr.arcOwners(start, sources);
    }
    return arcSources[e];
  }

  int targets() {
    return targets;
  }
}
