package nl.onderdak.matching.engine;

import java.util.Arrays;

/**
 * Minimum-cost maximum matching, fast: split the graph as Dulmage and Mendelsohn did, and solve each
 * part from the side that is matched completely, so no search ever starts from a household (or a
 * host) that cannot be placed.
 *
 * <ol>
 *   <li>Hopcroft–Karp finds a maximum matching. The households reachable by alternating paths from the
 *       unmatched ones, with the hosts they reach, form the over-demanded part Z: there every host is
 *       matched in every maximum matching, and only some of the households. Pairs from outside Z to a
 *       host in Z are in no maximum matching and drop out.
 *   <li>Outside Z every household is matched in every maximum matching: {@link SaturatingSolver} from
 *       the households. Inside Z, the same from the hosts.
 *   <li>The two parts' duals, one shifted by a constant, become potentials for the whole network
 *       (source and sink included) under which no residual arc has negative reduced cost: the proof,
 *       and what {@link OptimalMatcher} checks left-out pairs against.
 * </ol>
 */
final class DecomposedMatching {
  private final int rows;
  private final int columns;
  private final int[] start;
  private final int[] target;
  private final int[] cost;

  final int[] matchOfRow;
  final int[] matchOfColumn;
  final long[] rowPotential;
  final long[] columnPotential;
  private final int[] matchedArc;

  DecomposedMatching(int rows, int columns, int[] start, int[] target, int[] cost) {
    this.rows = rows;
    this.columns = columns;
    this.start = start;
    this.target = target;
    this.cost = cost;
    this.matchOfRow = new int[rows];
    this.matchOfColumn = new int[columns];
    this.rowPotential = new long[rows];
    this.columnPotential = new long[columns];
    this.matchedArc = new int[rows];
    Arrays.fill(matchOfRow, -1);
    Arrays.fill(matchOfColumn, -1);
    Arrays.fill(matchedArc, -1);
  }

  int rows() {
    return rows;
  }

  int matchedArc(int row) {
    return matchedArc[row];
  }

  void solve() {
    solve(null);
  }

  /** @param knownMatching a matching of a subgraph (a column or -1 per row) to start the cardinality search from */
  void solve(int[] knownMatching) {
    int[] hkRow = new int[rows];
    int[] hkCol = new int[columns];
    HopcroftKarp.maximumMatching(rows, columns, start, target, hkRow, hkCol, knownMatching);

    // Z: alternating reach from the rows Hopcroft–Karp left free.
    boolean[] zRow = new boolean[rows];
    boolean[] zCol = new boolean[columns];
    int[] queue = new int[rows];
    int head = 0;
    int tail = 0;
    for (int r = 0; r < rows; r++) {
      if (hkRow[r] < 0) {
        zRow[r] = true;
        queue[tail++] = r;
      }
    }
    while (head < tail) {
      int r = queue[head++];
      for (int e = start[r]; e < start[r + 1]; e++) {
        int c = target[e];
        if (!zCol[c]) {
          zCol[c] = true;
          int next = hkCol[c];
          if (next >= 0 && !zRow[next]) {
            zRow[next] = true;
            queue[tail++] = next;
          }
        }
      }
    }

    // Part outside Z: every row matched; solved from the rows.
    int[] rowIndex = new int[rows];
    int[] colIndex = new int[columns];
    int[] outRows = indexOf(zRow, false, rowIndex);
    int[] outCols = indexOf(zCol, false, colIndex);
    SubGraph outside = subGraph(outRows, rowIndex, colIndex, zCol, false);
    SaturatingSolver rest = new SaturatingSolver(outRows.length, outCols.length, outside.start, outside.target,
        outside.cost);
    rest.solve();

    // Part Z: every column matched; solved from the columns (arcs turned around).
    int[] zRows = indexOf(zRow, true, rowIndex);
    int[] zCols = indexOf(zCol, true, colIndex);
    SubGraph inside = transposed(zRows, zCols, rowIndex, colIndex, zCol);
    SaturatingSolver over = new SaturatingSolver(zCols.length, zRows.length, inside.start, inside.target, inside.cost);
    over.solve();
    if (Boolean.getBoolean("onderdak.matching.trace")) {
      System.err.printf("  outside Z: %d rows %d cols %d arcs, %d searches, %d pops; Z: %d rows %d cols %d arcs,"
          + " %d searches, %d pops%n", outRows.length, outCols.length, outside.target.length, rest.searches, rest.pops,
          zRows.length, zCols.length, inside.target.length, over.searches, over.pops);
    }

    // Matching.
    for (int i = 0; i < outRows.length; i++) {
      int arc = outside.originalArc[rest.matchArc[i]];
      setMatch(outRows[i], arc);
    }
    for (int j = 0; j < zCols.length; j++) {
      int arc = inside.originalArc[over.matchArc[j]];
      setMatch(arcRow(arc), arc);
    }

    // Potentials: reduced cost of row→column is cost + p(row) − p(column).
    long shift = 0;
    for (int j = 0; j < zCols.length; j++) {
      shift = Math.min(shift, -over.u(j));
    }
    for (int i = 0; i < outRows.length; i++) {
      shift = Math.min(shift, -rest.u(i));
    }
    for (int i = 0; i < outRows.length; i++) {
      int r = outRows[i];
      for (int e = start[r]; e < start[r + 1]; e++) {
        int c = target[e];
        if (zCol[c]) {
          // An arc into Z from outside: it stays non-negative for a low enough Z.
          shift = Math.min(shift, cost[e] - rest.u(i) - over.u(colIndex[c]));
        }
      }
    }
    for (int i = 0; i < outRows.length; i++) {
      rowPotential[outRows[i]] = -rest.u(i);
    }
    for (int j = 0; j < outCols.length; j++) {
      columnPotential[outCols[j]] = rest.v[j];
    }
    for (int i = 0; i < zRows.length; i++) {
      rowPotential[zRows[i]] = -over.v[i] + shift;
    }
    for (int j = 0; j < zCols.length; j++) {
      columnPotential[zCols[j]] = over.u(j) + shift;
    }
  }

  private void setMatch(int row, int arc) {
    matchedArc[row] = arc;
    matchOfRow[row] = target[arc];
    matchOfColumn[target[arc]] = row;
  }

  private int[] arcRows;

  private int arcRow(int arc) {
    if (arcRows == null) {
      arcRows = Csr.arcOwners(start, rows);
    }
    return arcRows[arc];
  }

  /** The nodes whose flag equals {@code in}, in order; fills their position into {@code index}. */
  private static int[] indexOf(boolean[] flags, boolean in, int[] index) {
    int count = 0;
    for (boolean f : flags) {
      count += f == in ? 1 : 0;
    }
    int[] out = new int[count];
    int k = 0;
    for (int i = 0; i < flags.length; i++) {
      if (flags[i] == in) {
        index[i] = k;
        out[k++] = i;
      }
    }
    return out;
  }

  private record SubGraph(int[] start, int[] target, int[] cost, int[] originalArc) {}

  /** The arcs of these rows into columns outside Z, renumbered. */
  private SubGraph subGraph(int[] subRows, int[] rowIndex, int[] colIndex, boolean[] zCol, boolean keepZ) {
    int[] s = new int[subRows.length + 1];
    for (int i = 0; i < subRows.length; i++) {
      int r = subRows[i];
      int n = 0;
      for (int e = start[r]; e < start[r + 1]; e++) {
        n += zCol[target[e]] == keepZ ? 1 : 0;
      }
      s[i + 1] = s[i] + n;
    }
    int[] t = new int[s[subRows.length]];
    int[] c = new int[t.length];
    int[] o = new int[t.length];
    int k = 0;
    for (int r : subRows) {
      for (int e = start[r]; e < start[r + 1]; e++) {
        if (zCol[target[e]] == keepZ) {
          t[k] = colIndex[target[e]];
          c[k] = cost[e];
          o[k] = e;
          k++;
        }
      }
    }
    return sortedByCost(new SubGraph(s, t, c, o));
  }

  /** The arcs inside Z turned around: from each Z column to the Z rows that have an arc to it. */
  private SubGraph transposed(int[] zRows, int[] zCols, int[] rowIndex, int[] colIndex, boolean[] zCol) {
    int[] s = new int[zCols.length + 1];
    for (int r : zRows) {
      for (int e = start[r]; e < start[r + 1]; e++) {
        if (zCol[target[e]]) {
          s[colIndex[target[e]] + 1]++;
        }
      }
    }
    for (int j = 0; j < zCols.length; j++) {
      s[j + 1] += s[j];
    }
    int[] fill = Arrays.copyOf(s, zCols.length);
    int[] t = new int[s[zCols.length]];
    int[] c = new int[t.length];
    int[] o = new int[t.length];
    for (int r : zRows) {
      for (int e = start[r]; e < start[r + 1]; e++) {
        if (zCol[target[e]]) {
          int k = fill[colIndex[target[e]]]++;
          t[k] = rowIndex[r];
          c[k] = cost[e];
          o[k] = e;
        }
      }
    }
    return sortedByCost(new SubGraph(s, t, c, o));
  }

  /**
   * Each source's arcs cheapest first, as {@link SaturatingSolver} wants them: a search then stops scanning
   * a source's arcs at the first one that cannot beat the free target already found.
   */
  static SubGraph sortedByCost(SubGraph g) {
    int sources = g.start().length - 1;
    long[] keys = new long[16];
    int[] t = new int[16];
    int[] o = new int[16];
    for (int i = 0; i < sources; i++) {
      int from = g.start()[i];
      int length = g.start()[i + 1] - from;
      if (length < 2) {
        continue;
      }
      if (keys.length < length) {
        keys = new long[length];
        t = new int[length];
        o = new int[length];
      }
      for (int k = 0; k < length; k++) {
        keys[k] = ((long) g.cost()[from + k] << 32) | k;
      }
      Arrays.sort(keys, 0, length);
      System.arraycopy(g.target(), from, t, 0, length);
      System.arraycopy(g.originalArc(), from, o, 0, length);
      for (int k = 0; k < length; k++) {
        int was = (int) keys[k];
        g.target()[from + k] = t[was];
        g.cost()[from + k] = (int) (keys[k] >>> 32);
        g.originalArc()[from + k] = o[was];
      }
    }
    return g;
  }
}
