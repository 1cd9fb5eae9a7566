package nl.onderdak.matching.engine;

import java.util.Arrays;

/** Maximum-cardinality bipartite matching in O(E √V) (Hopcroft and Karp, 1973). */
final class HopcroftKarp {
  private HopcroftKarp() {}

  /** Fills {@code matchRow} (column or -1) and {@code matchCol} (row or -1) with a maximum matching. */
  static void maximumMatching(int rows, int columns, int[] start, int[] target, int[] matchRow, int[] matchCol) {
    maximumMatching(rows, columns, start, target, matchRow, matchCol, null);
  }

  /**
   * The same, starting from {@code known} (a column or -1 per row: a matching of a smaller graph with the
   * same rows and columns, such as the previous round's): only the few augmentations it lacks remain.
   * Pairs of it that are not arcs of this graph, or that take a column twice, are ignored.
   */
  static void maximumMatching(int rows, int columns, int[] start, int[] target, int[] matchRow, int[] matchCol,
      int[] known) {
    Arrays.fill(matchRow, -1);
    Arrays.fill(matchCol, -1);
    if (known != null) {
      for (int r = 0; r < rows; r++) {
        int c = known[r];
        if (c < 0 || matchCol[c] >= 0) {
          continue;
        }
        for (int e = start[r]; e < start[r + 1]; e++) {
          if (target[e] == c) {
            matchRow[r] = c;
            matchCol[c] = r;
            break;
          }
        }
      }
    }
    // Greedy start: most rows find a free column at once.
    for (int r = 0; r < rows; r++) {
      if (matchRow[r] >= 0) {
        continue;
      }
      for (int e = start[r]; e < start[r + 1]; e++) {
        if (matchCol[target[e]] < 0) {
          matchRow[r] = target[e];
          matchCol[target[e]] = r;
          break;
        }
      }
    }
    int[] level = new int[rows];
    int[] queue = new int[rows];
    int[] cursor = new int[rows];
    int[] stack = new int[rows];
    while (true) {
      // BFS: layer the rows from the free ones.
      Arrays.fill(level, -1);
      int head = 0;
      int tail = 0;
      for (int r = 0; r < rows; r++) {
        if (matchRow[r] < 0) {
          level[r] = 0;
          queue[tail++] = r;
        }
      }
      boolean found = false;
      while (head < tail) {
        int r = queue[head++];
        for (int e = start[r]; e < start[r + 1]; e++) {
          int next = matchCol[target[e]];
          if (next < 0) {
            found = true;
          } else if (level[next] < 0) {
            level[next] = level[r] + 1;
            queue[tail++] = next;
          }
        }
      }
      if (!found) {
        return;
      }
      // DFS along the layers, iteratively.
      for (int r = 0; r < rows; r++) {
        cursor[r] = start[r];
      }
      for (int root = 0; root < rows; root++) {
        if (matchRow[root] >= 0) {
          continue;
        }
        int depth = 0;
        stack[0] = root;
        while (depth >= 0) {
          int r = stack[depth];
          if (cursor[r] == start[r + 1]) {
            level[r] = -1; // dead end this phase
            depth--;
            continue;
          }
          int c = target[cursor[r]++];
          int next = matchCol[c];
          if (next < 0) {
            // Augment along the stack.
            for (int i = depth; i >= 0; i--) {
              int row = stack[i];
              int col = i == depth ? c : target[cursor[row] - 1];
              matchRow[row] = col;
              matchCol[col] = row;
            }
            break;
          }
          if (level[next] == level[r] + 1) {
            stack[++depth] = next;
          }
        }
      }
    }
  }
}
