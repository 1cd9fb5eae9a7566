package nl.onderdak.matching.engine;

/**
 * Every eligible pair of an instance, kept in flat arrays after the first walk when they fit in
 * {@link #MAX_CACHED} pairs, so the proof rounds walk memory instead of re-applying the rules. Past
 * that size (a national 50,000 × 50,000 pool has some 180 million pairs) it walks the rules again
 * each time, to stay within a Lambda's memory.
 */
final class EligiblePairs {
  /** 24 million pairs: about 150 MB. */
  static final int MAX_CACHED = 24_000_000;

  private final MatchProblem problem;
  /** Pairs are kept in blocks, so that growing never copies. */
  private static final int BLOCK_BITS = 20;
  private static final int BLOCK = 1 << BLOCK_BITS;
  private int[] start;
  private final java.util.List<int[]> hostBlocks = new java.util.ArrayList<>();
  private final java.util.List<short[]> scoreBlocks = new java.util.ArrayList<>();
  private int size;
  private boolean complete;

  EligiblePairs(MatchProblem problem) {
    this.problem = problem;
  }

  /** Receives one eligible pair of the first walk. */
  @FunctionalInterface
  interface PairSink {
    void pair(int household, int host, int score);
  }

  /** Told when the first walk has visited every pair of a household. */
  @FunctionalInterface
  interface HouseholdDone {
    void done(int household);
  }

  /** The first walk: visits every pair, keeping them if they fit. */
  void firstWalk(PairSink sink, HouseholdDone done) {
    int n = problem.households().size();
    start = new int[n + 1];
    complete = true;
    for (int h = 0; h < n; h++) {
      start[h] = size;
      int household = h;
      problem.forEachEligible(h, (host, score) -> {
        sink.pair(household, host, score);
        if (complete) {
          keep(host, score);
        }
      });
      done.done(h);
    }
    start[n] = size;
  }

  /** The block being filled (kept at hand: the first walk stores millions of pairs). */
  private int[] hostBlock;
  private short[] scoreBlock;

  private void keep(int host, int score) {
    int offset = size & (BLOCK - 1);
    if (offset == 0) {
      if (size >= MAX_CACHED) {
        complete = false;
        hostBlocks.clear();
        scoreBlocks.clear();
        hostBlock = null;
        scoreBlock = null;
        return;
      }
      hostBlock = new int[BLOCK];
      scoreBlock = new short[BLOCK];
      hostBlocks.add(hostBlock);
      scoreBlocks.add(scoreBlock);
    }
    hostBlock[offset] = host;
    scoreBlock[offset] = (short) score;
    size++;
  }

  /** A stretch of one household's pairs: hosts and scores at {@code from} (inclusive) to {@code to}. */
  @FunctionalInterface
  interface Run {
    void run(int[] hosts, short[] scores, int from, int to);
  }

  /**
   * This household's pairs in a few contiguous stretches, for hot loops (the proof scans every pair each
   * round): the loop runs over plain arrays instead of calling back per pair.
   */
  void forEachRun(int household, Run run) {
    if (!complete) {
      int[] hosts = new int[64];
      short[] scores = new short[64];
      int[] count = {0};
      int[][] hostsRef = {hosts};
      short[][] scoresRef = {scores};
      problem.forEachEligible(household, (host, score) -> {
        if (count[0] == hostsRef[0].length) {
          hostsRef[0] = java.util.Arrays.copyOf(hostsRef[0], count[0] * 2);
          scoresRef[0] = java.util.Arrays.copyOf(scoresRef[0], count[0] * 2);
        }
        hostsRef[0][count[0]] = host;
        scoresRef[0][count[0]++] = (short) score;
      });
      run.run(hostsRef[0], scoresRef[0], 0, count[0]);
      return;
    }
    int i = start[household];
    int end = start[household + 1];
    while (i < end) {
      int blockEnd = Math.min(end, ((i >>> BLOCK_BITS) + 1) << BLOCK_BITS);
      run.run(hostBlocks.get(i >>> BLOCK_BITS), scoreBlocks.get(i >>> BLOCK_BITS), i & (BLOCK - 1),
          (i & (BLOCK - 1)) + (blockEnd - i));
      i = blockEnd;
    }
  }

  void forEach(int household, MatchProblem.PairVisitor visitor) {
    if (!complete) {
      problem.forEachEligible(household, visitor);
      return;
    }
    int i = start[household];
    int end = start[household + 1];
    while (i < end) {
      int[] hostBlock = hostBlocks.get(i >>> BLOCK_BITS);
      short[] scoreBlock = scoreBlocks.get(i >>> BLOCK_BITS);
      int blockEnd = Math.min(end, ((i >>> BLOCK_BITS) + 1) << BLOCK_BITS);
      for (; i < blockEnd; i++) {
        visitor.visit(hostBlock[i & (BLOCK - 1)], scoreBlock[i & (BLOCK - 1)]);
      }
    }
  }
}
