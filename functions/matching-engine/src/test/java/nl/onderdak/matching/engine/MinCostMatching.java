package nl.onderdak.matching.engine;

import java.util.Arrays;

/**
 * Minimum-cost maximum matching on a sparse bipartite graph with small positive integer costs:
 * among all matchings with the most pairs, one of least total cost.
 *
 * <p>The primal-dual method for min-cost flow on the unit-capacity network source → rows → columns
 * → sink. Each phase runs one Dijkstra from every free row at once, on costs reduced by node
 * potentials (never negative), then augments a maximal set of vertex-disjoint shortest augmenting
 * paths found by depth-first search on the zero-reduced-cost arcs (as Hopcroft–Karp does for
 * cardinality). The length of the shortest augmenting path grows every phase, so the phases are few
 * when costs are small integers. It stops when no augmenting path is left: the matching is then
 * maximum, and the potentials prove that no matching of that size costs less.
 *
 * <p>After {@link #solve()}, {@link #rowPotential}, {@link #columnPotential} and {@link #reachable}
 * let a caller check optimality against arcs this graph left out (see {@link OptimalMatcher}).
 */
final class MinCostMatching {
  private static final int NONE = -1;
  private final int rows;
  private final int columns;
  private final int[] start;
  private final int[] target;
  private final int[] cost;

  final int[] matchOfRow;
  final int[] matchOfColumn;
  /** The arc of each row's pair, or NONE. */
  private final int[] matchedArc;
  /** Potentials of the row and column nodes; reduced cost of row→col is cost + pr[row] − pc[col]. */
  final long[] rowPotential;
  final long[] columnPotential;
  private long sinkPotential;

  private final long[] rowDist;
  private final long[] colDist;
  private final int[] edgeCursor;
  private final boolean[] rowDone;
  private final boolean[] colDone;
  private final boolean[] rowReached;
  private final boolean[] colReached;
  private final BucketQueue heap;
  /** Reverse adjacency: the arcs into each column, as arc indices, and the row each arc leaves. */
  private final int[] reverseStart;
  private final int[] reverseArc;
  private final int[] arcRow;
  /** Nodes from which the sink can be reached on zero-reduced-cost arcs in this phase. */
  private final boolean[] rowUseful;
  private final boolean[] colUseful;
  private final int[] queue;
  int phases;

  /**
   * @param start CSR offsets: the arcs of row r are {@code start[r] .. start[r+1]-1}
   * @param target the column of each arc
   * @param cost the cost of each arc, at least 0
   */
  MinCostMatching(int rows, int columns, int[] start, int[] target, int[] cost) {
    this.rows = rows;
    this.columns = columns;
    this.start = start;
    this.target = target;
    this.cost = cost;
    this.matchOfRow = new int[rows];
    this.matchOfColumn = new int[columns];
    this.matchedArc = new int[rows];
    Arrays.fill(matchedArc, NONE);
    Arrays.fill(matchOfRow, NONE);
    Arrays.fill(matchOfColumn, NONE);
    this.rowPotential = new long[rows];
    this.columnPotential = new long[columns];
    this.rowDist = new long[rows];
    this.colDist = new long[columns];
    this.edgeCursor = new int[rows];
    this.rowDone = new boolean[rows];
    this.colDone = new boolean[columns];
    this.rowReached = new boolean[rows];
    this.colReached = new boolean[columns];
    this.heap = new BucketQueue(rows + columns);
    this.arcRow = new int[target.length];
    this.reverseStart = new int[columns + 1];
    for (int r = 0; r < rows; r++) {
      for (int e = start[r]; e < start[r + 1]; e++) {
        arcRow[e] = r;
        reverseStart[target[e] + 1]++;
      }
    }
    for (int c = 0; c < columns; c++) {
      reverseStart[c + 1] += reverseStart[c];
    }
    this.reverseArc = new int[target.length];
    int[] fill = Arrays.copyOf(reverseStart, columns);
    for (int e = 0; e < target.length; e++) {
      reverseArc[fill[target[e]]++] = e;
    }
    this.rowUseful = new boolean[rows];
    this.colUseful = new boolean[columns];
    this.queue = new int[rows + columns];
  }

  /** The arc of a row's pair, or -1. */
  int matchedArc(int row) {
    return matchedArc[row];
  }

  void solve() {
    while (phase()) {
      phases++;
    }
  }

  /** One phase; false when no augmenting path exists (the matching is then maximum). */
  private boolean phase() {
    long sinkDist = dijkstra();
    if (sinkDist == Long.MAX_VALUE) {
      return false;
    }
    // Potentials: add min(dist, sinkDist) to every node; reached-before-the-sink nodes get their distance.
    for (int r = 0; r < rows; r++) {
      rowPotential[r] += Math.min(rowDist[r], sinkDist);
    }
    for (int c = 0; c < columns; c++) {
      columnPotential[c] += Math.min(colDist[c], sinkDist);
    }
    sinkPotential += sinkDist;
    markUseful(sinkDist);
    // Blocking set of shortest augmenting paths along zero reduced-cost arcs.
    Arrays.fill(rowDone, false);
    Arrays.fill(colDone, false);
    for (int r = 0; r < rows; r++) {
      edgeCursor[r] = start[r];
    }
    boolean augmented = false;
    for (int r = 0; r < rows; r++) {
      if (matchOfRow[r] == NONE && !rowDone[r] && rowUseful[r]) {
        augmented |= augment(r);
      }
    }
    if (!augmented) {
      throw new IllegalStateException("a shortest augmenting path was found but none could be followed");
    }
    return true;
  }

  /**
   * Dijkstra from all free rows on reduced costs. Returns the distance to the sink (through the
   * nearest free column), or {@link Long#MAX_VALUE} when no free column can be reached.
   */
  private long dijkstra() {
    Arrays.fill(rowDist, Long.MAX_VALUE);
    Arrays.fill(colDist, Long.MAX_VALUE);
    Arrays.fill(rowReached, false);
    Arrays.fill(colReached, false);
    heap.clear();
    for (int r = 0; r < rows; r++) {
      if (matchOfRow[r] == NONE) {
        rowDist[r] = 0;
        heap.push(0, r);
      }
    }
    long sinkDist = Long.MAX_VALUE;
    while (!heap.isEmpty()) {
      long d = heap.topKey();
      int node = heap.popValue();
      if (d > sinkDist) {
        break;
      }
      if (node < rows) {
        int r = node;
        if (rowReached[r] || d > rowDist[r]) {
          continue;
        }
        rowReached[r] = true;
        for (int e = start[r]; e < start[r + 1]; e++) {
          int c = target[e];
          if (c == matchOfRow[r] || colReached[c]) {
            continue;
          }
          long nd = d + cost[e] + rowPotential[r] - columnPotential[c];
          if (nd < colDist[c]) {
            colDist[c] = nd;
            heap.push(nd, rows + c);
          }
        }
      } else {
        int c = node - rows;
        if (colReached[c] || d > colDist[c]) {
          continue;
        }
        colReached[c] = true;
        int r = matchOfColumn[c];
        if (r == NONE) {
          // Free column: the sink is one zero-cost arc further (reduced: pc[c] − p_sink).
          long nd = d + columnPotential[c] - sinkPotential;
          if (nd < sinkDist) {
            sinkDist = nd;
          }
        } else {
          // Matched column: the only residual arc goes back to its row, cost −c(r,c).
          long nd = d - cost[matchedArc[r]] + columnPotential[c] - rowPotential[r];
          if (nd < rowDist[r]) {
            rowDist[r] = nd;
            heap.push(nd, r);
          }
        }
      }
    }
    return sinkDist;
  }

  /**
   * Marks the nodes that reach the sink over zero-reduced-cost arcs: backwards from the free columns
   * whose arc to the sink is tight. The depth-first search then never wanders into the large parts of
   * the graph (households nobody can place) that lead nowhere this phase.
   */
  private void markUseful(long sinkDist) {
    Arrays.fill(rowUseful, false);
    Arrays.fill(colUseful, false);
    int head = 0;
    int tail = 0;
    for (int c = 0; c < columns; c++) {
      if (matchOfColumn[c] == NONE && colDist[c] <= sinkDist && columnPotential[c] == sinkPotential) {
        colUseful[c] = true;
        queue[tail++] = rows + c;
      }
    }
    while (head < tail) {
      int node = queue[head++];
      if (node >= rows) {
        int c = node - rows;
        for (int i = reverseStart[c]; i < reverseStart[c + 1]; i++) {
          int e = reverseArc[i];
          int r = arcRow[e];
          // Only nodes at most the path's length from a free row can lie on a shortest augmenting path.
          if (rowUseful[r] || rowDist[r] > sinkDist || matchOfRow[r] == c
              || cost[e] + rowPotential[r] - columnPotential[c] != 0) {
            continue;
          }
          rowUseful[r] = true;
          queue[tail++] = r;
        }
      } else {
        int r = node;
        int c = matchOfRow[r];
        // A matched row is entered from its column (arc column → row, tight when the pair is tight).
        if (c != NONE && !colUseful[c] && colDist[c] <= sinkDist
            && cost[matchedArc[r]] + rowPotential[r] - columnPotential[c] == 0) {
          colUseful[c] = true;
          queue[tail++] = rows + c;
        }
      }
    }
  }

  /** Depth-first search for an augmenting path of zero reduced cost from row r; augments it if found. */
  private boolean augment(int root) {
    // Iterative DFS over rows; the path is kept as the column chosen at each row.
    int[] stackRow = new int[16];
    int[] stackArc = new int[16];
    int depth = 0;
    stackRow[0] = root;
    rowDone[root] = true;
    while (depth >= 0) {
      int r = stackRow[depth];
      boolean advanced = false;
      while (edgeCursor[r] < start[r + 1]) {
        int e = edgeCursor[r]++;
        int c = target[e];
        if (colDone[c] || !colUseful[c] || c == matchOfRow[r]) {
          continue;
        }
        if (cost[e] + rowPotential[r] - columnPotential[c] != 0) {
          continue;
        }
        colDone[c] = true;
        int next = matchOfColumn[c];
        if (next == NONE) {
          if (columnPotential[c] != sinkPotential) {
            continue;
          }
          // Found: flip the path.
          stackArc[depth] = e;
          for (int i = depth; i >= 0; i--) {
            int row = stackRow[i];
            int arc = stackArc[i];
            matchedArc[row] = arc;
            matchOfRow[row] = target[arc];
            matchOfColumn[target[arc]] = row;
          }
          return true;
        }
        if (rowDone[next] || cost[matchedArc[next]] + rowPotential[next] - columnPotential[c] != 0) {
          continue;
        }
        rowDone[next] = true;
        stackArc[depth] = e;
        depth++;
        if (depth == stackRow.length) {
          stackRow = Arrays.copyOf(stackRow, depth * 2);
          stackArc = Arrays.copyOf(stackArc, depth * 2);
        }
        stackRow[depth] = next;
        advanced = true;
        break;
      }
      if (!advanced) {
        depth--;
      }
    }
    return false;
  }

  /** Whether the last (failed) search reached this row or column from a free row. */
  boolean reachable(int node, boolean isRow) {
    return isRow ? rowReached[node] : colReached[node];
  }

  /** Rows with no augmenting path when solve() ended, with everything they reach, are marked reached. */
  void markReachableFromFreeRows() {
    dijkstra();
  }

  int rows() {
    return rows;
  }

  int columns() {
    return columns;
  }
}
