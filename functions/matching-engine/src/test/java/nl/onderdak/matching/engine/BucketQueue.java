package nl.onderdak.matching.engine;

import java.util.Arrays;

/**
 * A monotone priority queue for Dijkstra with small integer distances (Dial's buckets): one bucket per
 * distance below {@link #BUCKETS}, a binary heap for anything farther. Pops never go back in distance.
 */
final class BucketQueue {
  static final int BUCKETS = 4096;
  private final int[][] items = new int[BUCKETS][];
  private final int[] sizes = new int[BUCKETS];
  private final LongHeap far;
  private int current;
  private int count;

  BucketQueue(int capacity) {
    far = new LongHeap(capacity);
  }

  void clear() {
    Arrays.fill(sizes, 0);
    far.clear();
    current = 0;
    count = 0;
  }

  boolean isEmpty() {
    return count == 0;
  }

  void push(long dist, int value) {
    count++;
    if (dist < BUCKETS) {
      int b = (int) dist;
      if (items[b] == null) {
        items[b] = new int[16];
      } else if (sizes[b] == items[b].length) {
        items[b] = Arrays.copyOf(items[b], sizes[b] * 2);
      }
      items[b][sizes[b]++] = value;
    } else {
      far.push(dist, value);
    }
  }

  /** The least distance in the queue; call only when not empty. */
  long topKey() {
    while (current < BUCKETS && sizes[current] == 0) {
      current++;
    }
    return current < BUCKETS ? current : far.topKey();
  }

  int popValue() {
    topKey();
    count--;
    if (current < BUCKETS) {
      return items[current][--sizes[current]];
    }
    return far.popValue();
  }
}
