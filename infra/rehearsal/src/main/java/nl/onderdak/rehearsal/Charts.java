package nl.onderdak.rehearsal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one HTML page a coordinator can open from disk: headline figures, the reconciliation, and
 * charts drawn as inline SVG (no script, no library, nothing fetched).
 */
final class Charts {
  private static final String[] COLOURS = {"#1f5f8b", "#c2571a", "#2e7d32", "#7b1fa2", "#b71c1c", "#455a64"};
  private final Settings settings;
  private final Rehearsal.Run run;
  private final Rehearsal.Run greedy;
  private final Report report;

  Charts(Settings settings, Rehearsal.Run run, Rehearsal.Run greedy, Report report) {
    this.settings = settings;
    this.run = run;
    this.greedy = greedy;
    this.report = report;
  }

  String html() {
    StringBuilder b = new StringBuilder();
    b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        + "content=\"width=device-width, initial-scale=1\"><title>Onderdak surge rehearsal</title><style>")
        .append("body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:1100px;margin:0 auto;padding:1rem}")
        .append("h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}.ok{color:#1b5e20}.bad{color:#b71c1c}")
        .append(".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.75rem}")
        .append(".card{border:1px solid #ccc;border-radius:6px;padding:.6rem .8rem}.card b{display:block;font-size:1.5rem}")
        .append("table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left}")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}svg{max-width:100%;height:auto}")
        .append("pre{white-space:pre-wrap;background:#f5f5f5;padding:.6rem}</style></head><body>");
    b.append("<h1>Onderdak surge rehearsal</h1><p class=\"").append(report.clean() ? "ok" : "bad").append("\"><strong>")
        .append(report.clean() ? "Clean: nothing lost, duplicated or double-booked."
            : "Failed: " + report.problems.size() + " problem(s) — see the reconciliation below.")
        .append("</strong></p>");
    b.append(esc(String.format(Locale.ROOT, "%d households and %d hosts over %.0f simulated days; the clock ran %.0f "
        + "times faster than real time; faults: %s.", settings.households(), settings.hosts(), settings.days(),
        settings.speed(), settings.faults().isEmpty() ? "none" : String.join(", ", settings.faults()))));
    Map<String, Object> f = report.figures;
    b.append("<div class=\"cards\">");
    card(b, "registrations per second, sustained", f.get("registrationsPerSecondSustained"));
    card(b, "API latency p99 (registrations)", ms(f.get("registrationLatencyMs"), "p99"));
    card(b, "median time to proposal", hours(f.get("timeToProposalHours"), "median"));
    card(b, "median time to placement", hours(f.get("timeToPlacementHours"), "median"));
    card(b, "households placed", f.get("householdsPlaced")
        + (greedy != null ? " (greedy: " + f.get("greedyHouseholdsPlaced") + ")" : ""));
    card(b, "webhooks dead-lettered", f.get("webhooksDeadLettered"));
    b.append("</div>");

    b.append("<h2>The surge, day by day</h2>");
    b.append(perDay());
    b.append("<h2>Waiting and placed</h2>");
    b.append(cumulative());
    b.append("<h2>How long households waited for a proposal</h2>");
    b.append(histogram("households", report.toProposalHours(), 24, "simulated days from registration to proposal", 1 / 24.0));
    b.append("<h2>API latency during the run</h2>");
    b.append(latency());
    b.append("<h2>Webhooks: from event to partner</h2>");
    b.append(histogram("webhooks", report.lagMillis(), 250, "real milliseconds from event to first arrival", 1));
    b.append("<h2>The machine</h2>");
    b.append(machine());
    b.append("<p>").append(esc(String.valueOf(f.get("ranOutFirst")))).append("</p>");
    b.append("<h2>Reconciliation</h2><table><tbody>");
    report.checks.forEach((k, v) -> b.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">").append(v)
        .append("</td></tr>"));
    b.append("</tbody></table>");
    if (!report.problems.isEmpty()) {
      b.append("<h2 class=\"bad\">Problems</h2><ul>");
      report.problems.forEach(p -> b.append("<li>").append(esc(p)).append("</li>"));
      b.append("</ul>");
    }
    b.append("<h2>The text report</h2><pre>").append(esc(report.text())).append("</pre></body></html>");
    return b.toString();
  }

  private static void card(StringBuilder b, String label, Object value) {
    b.append("<div class=\"card\"><b>").append(esc(String.valueOf(value))).append("</b>").append(esc(label))
        .append("</div>");
  }

  @SuppressWarnings("unchecked")
  private static String ms(Object o, String key) {
    return String.format(Locale.ROOT, "%.0f ms", (Double) ((Map<String, Object>) o).get(key));
  }

  @SuppressWarnings("unchecked")
  private static String hours(Object o, String key) {
    double h = (Double) ((Map<String, Object>) o).get(key);
    return Double.isNaN(h) ? "-" : String.format(Locale.ROOT, "%.1f h (%.1f days)", h, h / 24);
  }

  /** Simulated day of an instant of this run. */
  private static int day(Rehearsal.Run r, Instant at) {
    double hours = r.clock.simHoursAt(at) - r.arrivalsFromHours;
    return (int) Math.floor(hours / 24);
  }

  private int days() {
    return (int) Math.ceil(settings.days() + settings.tailDays()) + 1;
  }

  private String perDay() {
    int n = days();
    double[] households = new double[n];
    double[] hosts = new double[n];
    double[] proposals = new double[n];
    double[] placements = new double[n];
    for (StoreSnapshot.Case c : run.store.cases.values()) {
      int d = clamp(day(run, c.registeredAt()), n);
      (("host".equals(c.kind())) ? hosts : households)[d]++;
    }
    for (StoreSnapshot.Event e : run.store.events) {
      if ("guest".equals(e.kind()) && e.at() != null) {
        if ("proposed".equals(e.to())) {
          proposals[clamp(day(run, e.at()), n)]++;
        } else if ("placed".equals(e.to())) {
          placements[clamp(day(run, e.at()), n)]++;
        }
      }
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("households registered", households);
    series.put("hosts registered", hosts);
    series.put("proposals", proposals);
    series.put("placements", placements);
    return lines(series, "simulated day", "per day");
  }

  private String cumulative() {
    int n = days();
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("households registered", running(run, n, true));
    series.put("households placed (optimal matching)", running(run, n, false));
    if (greedy != null) {
      series.put("households placed (greedy matching)", running(greedy, n, false));
    }
    return lines(series, "simulated day", "households, cumulative");
  }

  private static double[] running(Rehearsal.Run r, int n, boolean registered) {
    double[] out = new double[n];
    if (registered) {
      r.store.cases.values().stream().filter(c -> "guest".equals(c.kind()))
          .forEach(c -> out[clamp(day(r, c.registeredAt()), n)]++);
    } else {
      r.store.events.stream().filter(e -> "guest".equals(e.kind()) && "placed".equals(e.to()) && e.at() != null)
          .forEach(e -> out[clamp(day(r, e.at()), n)]++);
    }
    for (int i = 1; i < n; i++) {
      out[i] += out[i - 1];
    }
    return out;
  }

  private String latency() {
    List<Api.Sample> samples = run.client.samples("registration");
    if (samples.isEmpty()) {
      return "<p>No samples.</p>";
    }
    long last = samples.stream().mapToLong(Api.Sample::atMillis).max().orElse(0);
    int n = (int) (last / 10_000) + 1;
    List<List<Double>> buckets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      buckets.add(new ArrayList<>());
    }
    samples.forEach(s -> buckets.get((int) (s.atMillis() / 10_000)).add((double) s.millis()));
    double[] p50 = new double[n];
    double[] p99 = new double[n];
    for (int i = 0; i < n; i++) {
      double[] sorted = buckets.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      p50[i] = sorted.length == 0 ? 0 : Report.percentile(sorted, 50);
      p99[i] = sorted.length == 0 ? 0 : Report.percentile(sorted, 99);
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("p50 (ms)", p50);
    series.put("p99 (ms)", p99);
    return lines(series, "real seconds since the start, per 10 seconds" + (run.restartedAtWall >= 0
        ? " (the runtime restarted at " + run.restartedAtWall / 1000 + " s)" : ""), "milliseconds", (n - 1) * 10.0);
  }

  private String machine() {
    List<Rehearsal.Run.Sample> samples = new ArrayList<>(run.samples);
    if (samples.isEmpty()) {
      return "<p>No samples.</p>";
    }
    double[] cpu = new double[samples.size()];
    double[] storage = new double[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      cpu[i] = Math.max(0, samples.get(i).processCpu() * 100);
      storage[i] = samples.get(i).storageBusy() * 100;
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("process CPU (% of the machine)", cpu);
    series.put("DynamoDB Local's SQLite thread (% busy)", storage);
    return lines(series, "real seconds since the start", "percent",
        (samples.get(samples.size() - 1).wallMillis() - samples.get(0).wallMillis()) / 1000.0);
  }

  private static int clamp(int d, int n) {
    return Math.max(0, Math.min(n - 1, d));
  }

  /** A histogram with {@code buckets} bars over the values (scaled by {@code scale} for the axis). */
  private static String histogram(String what, double[] sorted, int buckets, String xLabel, double scale) {
    if (sorted.length == 0) {
      return "<p>None.</p>";
    }
    double max = Report.percentile(sorted, 99) * scale;
    double width = Math.max(max / buckets, 1e-9);
    double[] counts = new double[buckets];
    for (double v : sorted) {
      counts[Math.min(buckets - 1, (int) (v * scale / width))]++;
    }
    int w = 900;
    int h = 260;
    double top = java.util.Arrays.stream(counts).max().orElse(1);
    StringBuilder b = svgStart(w, h, what + " by " + xLabel);
    double bar = (w - 80.0) / buckets;
    for (int i = 0; i < buckets; i++) {
      double bh = (h - 60) * counts[i] / top;
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s"
          + "</title></rect>", 60 + i * bar, h - 30 - bh, Math.max(1, bar - 1), bh, COLOURS[0],
          esc(String.format(Locale.ROOT, "%.1f–%.1f: %.0f %s", i * width, (i + 1) * width, counts[i], what))));
    }
    axis(b, w, h, 0, max, top, xLabel, what);
    return b.append("</svg>").toString();
  }

  private static String lines(Map<String, double[]> series, String xLabel, String yLabel) {
    int n = series.values().stream().mapToInt(a -> a.length).max().orElse(1);
    return lines(series, xLabel, yLabel, n - 1);
  }

  /** Lines over x from 0 to {@code xMax} (the axis's units), the points spread evenly. */
  private static String lines(Map<String, double[]> series, String xLabel, String yLabel, double xMax) {
    int w = 900;
    int h = 300;
    int n = series.values().stream().mapToInt(a -> a.length).max().orElse(1);
    double top = series.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1);
    top = top <= 0 ? 1 : top;
    StringBuilder b = svgStart(w, h, yLabel + " by " + xLabel);
    int c = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      StringBuilder points = new StringBuilder();
      double[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", 60 + (w - 80.0) * i / Math.max(1, n - 1),
            h - 30 - (h - 60) * v[i] / top));
      }
      String colour = COLOURS[c % COLOURS.length];
      b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
          .append(points).append("\"><title>").append(esc(e.getKey())).append("</title></polyline>");
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>", 70, 12 + 18 * c, colour, 88, 23 + 18 * c, esc(e.getKey())));
      c++;
    }
    axis(b, w, h, 0, xMax, top, xLabel, yLabel);
    return b.append("</svg>").toString();
  }

  private static StringBuilder svgStart(int w, int h, String label) {
    return new StringBuilder(String.format(Locale.ROOT, "<svg role=\"img\" aria-label=\"%s\" viewBox=\"0 0 %d %d\" "
        + "width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">", esc(label), w, h, w, h));
  }

  private static void axis(StringBuilder b, int w, int h, double x0, double x1, double top, String xLabel, String yLabel) {
    b.append(String.format(Locale.ROOT, "<line x1=\"60\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>", h - 30, w - 20, h - 30));
    b.append(String.format(Locale.ROOT, "<line x1=\"60\" y1=\"30\" x2=\"60\" y2=\"%d\" stroke=\"#555\"/>", h - 30));
    for (int i = 0; i <= 4; i++) {
      double y = h - 30 - (h - 60) * i / 4.0;
      b.append(String.format(Locale.ROOT, "<text x=\"55\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%s</text>",
          y + 4, num(top * i / 4)));
      double x = 60 + (w - 80.0) * i / 4;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>",
          x, h - 14, num(x0 + (x1 - x0) * i / 4)));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">%s</text>",
        w / 2 + 20, h - 1, esc(xLabel)));
  }

  private static String num(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
