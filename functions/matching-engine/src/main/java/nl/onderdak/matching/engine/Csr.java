package nl.onderdak.matching.engine;

/** Helpers for graphs in compressed sparse row form: the arcs of node r are {@code start[r] .. start[r+1]-1}. */
final class Csr {
  private Csr() {}

  /** The node each arc leaves. */
  static int[] arcOwners(int[] start, int nodes) {
    int[] owner = new int[start[nodes]];
    for (int r = 0; r < nodes; r++) {
      for (int e = start[r]; e < start[r + 1]; e++) {
        owner[e] = r;
      }
    }
    return owner;
  }
}
