package nl.onderdak.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * The part of CloudWatch's metric math that alarms use, evaluated on one data point per id: numbers, ids of
 * the alarm's other queries, {@code + - * /}, comparisons ({@code > >= < <= == !=}, true = 1), {@code AND},
 * {@code OR}, {@code NOT}, arrays {@code [a, b]} and the functions {@code IF}, {@code SUM}, {@code AVG},
 * {@code MIN}, {@code MAX}. A missing data point (null) makes what depends on it missing, as in CloudWatch; the
 * array functions use the points that are there. Anything else is refused when the template is read, naming
 * the alarm, so that an alarm the local runtime cannot evaluate is found at start, not shown as OK.
 */
final class MetricMath {
  /** A parsed expression: its value for the given data points (id → value or null), or null when missing. */
  interface Expression {
    Object value(Map<String, Double> points);
  }

  private final String text;
  private int at;

  private MetricMath(String text) {
    this.text = text;
  }

  /** Parses an expression; the ids it may use are checked by {@link #ids}. */
  static Expression parse(String text) {
    MetricMath p = new MetricMath(text);
    Expression e = p.or();
    p.space();
    if (p.at != text.length()) {
      throw p.problem("unexpected '" + text.substring(p.at) + "'");
    }
    return e;
  }

  /** The ids an expression names (lower-case words that are not functions), in order of appearance. */
  static List<String> ids(String text) {
    List<String> out = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("\\b([a-z][A-Za-z0-9_]*)\\b(?!\\s*\\()").matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private Expression or() {
    Expression left = and();
    while (word("OR") || symbol("||")) {
      left = logical(left, and(), (a, b) -> a != 0 || b != 0);
    }
    return left;
  }

  private Expression and() {
    Expression left = comparison();
    while (word("AND") || symbol("&&")) {
      left = logical(left, comparison(), (a, b) -> a != 0 && b != 0);
    }
    return left;
  }

  private Expression comparison() {
    Expression left = sum();
    for (String op : List.of(">=", "<=", "==", "!=", ">", "<")) {
      if (symbol(op)) {
        Expression right = sum();
        return switch (op) {
          case ">=" -> logical(left, right, (a, b) -> a >= b);
          case "<=" -> logical(left, right, (a, b) -> a <= b);
          case "==" -> logical(left, right, (a, b) -> a.doubleValue() == b.doubleValue());
          case "!=" -> logical(left, right, (a, b) -> a.doubleValue() != b.doubleValue());
          case ">" -> logical(left, right, (a, b) -> a > b);
          default -> logical(left, right, (a, b) -> a < b);
        };
      }
    }
    return left;
  }

  private Expression sum() {
    Expression left = product();
    while (true) {
      if (symbol("+")) {
        left = arithmetic(left, product(), Double::sum);
      } else if (symbol("-")) {
        left = arithmetic(left, product(), (a, b) -> a - b);
      } else {
        return left;
      }
    }
  }

  private Expression product() {
    Expression left = unary();
    while (true) {
      if (symbol("*")) {
        left = arithmetic(left, unary(), (a, b) -> a * b);
      } else if (symbol("/")) {
        // CloudWatch drops a point divided by zero: missing.
        left = arithmetic(left, unary(), (a, b) -> b == 0 ? null : a / b);
      } else {
        return left;
      }
    }
  }

  private Expression unary() {
    if (symbol("-")) {
      Expression inner = unary();
      return points -> {
        Double v = number(inner.value(points));
        return v == null ? null : -v;
      };
    }
    if (word("NOT")) {
      Expression inner = unary();
      return points -> {
        Double v = number(inner.value(points));
        return v == null ? null : v == 0 ? 1.0 : 0.0;
      };
    }
    return primary();
  }

  private Expression primary() {
    space();
    if (symbol("(")) {
      Expression inner = or();
      expect(")");
      return inner;
    }
    if (symbol("[")) {
      List<Expression> items = new ArrayList<>();
      do {
        items.add(or());
      } while (symbol(","));
      expect("]");
      return points -> {
        List<Double> values = new ArrayList<>();
        for (Expression item : items) {
          Object v = item.value(points);
          if (v instanceof List<?> nested) {
            nested.forEach(x -> values.add((Double) x));
          } else {
            values.add((Double) v);
          }
        }
        return values;
      };
    }
    int start = at;
    while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
      at++;
    }
    if (at > start) {
      double constant = Double.parseDouble(text.substring(start, at));
      return points -> constant;
    }
    while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
      at++;
    }
    if (at == start) {
      throw problem("expected a number, an id or a function at '" + text.substring(start) + "'");
    }
    String name = text.substring(start, at);
    if (!symbol("(")) {
      return points -> {
        if (!points.containsKey(name)) {
          throw new IllegalStateException("metric math names " + name + ", which is not a query of the alarm");
        }
        return points.get(name);
      };
    }
    List<Expression> args = new ArrayList<>();
    do {
      args.add(or());
    } while (symbol(","));
    expect(")");
    return function(name, args);
  }

  private Expression function(String name, List<Expression> args) {
    switch (name) {
      case "IF" -> {
        if (args.size() != 3) {
          throw problem("IF takes a condition and two values");
        }
        return points -> {
          Double condition = number(args.get(0).value(points));
          return condition == null ? null : args.get(condition != 0 ? 1 : 2).value(points);
        };
      }
      case "SUM", "AVG", "MIN", "MAX" -> {
        if (args.size() != 1) {
          throw problem(name + " takes one array");
        }
        return points -> {
          Object v = args.get(0).value(points);
          List<Double> present = new ArrayList<>();
          if (v instanceof List<?> list) {
            list.forEach(x -> {
              if (x != null) {
                present.add((Double) x);
              }
            });
          } else if (v != null) {
            present.add((Double) v);
          }
          if (present.isEmpty()) {
            return null;
          }
          var stats = present.stream().mapToDouble(Double::doubleValue).summaryStatistics();
          return switch (name) {
            case "SUM" -> stats.getSum();
            case "AVG" -> stats.getAverage();
            case "MIN" -> stats.getMin();
            default -> stats.getMax();
          };
        };
      }
      default -> throw problem("the local runtime does not evaluate the metric math function " + name);
    }
  }

  private static Expression arithmetic(Expression left, Expression right, BinaryOperator<Double> op) {
    return points -> {
      Double a = number(left.value(points));
      Double b = number(right.value(points));
      return a == null || b == null ? null : op.apply(a, b);
    };
  }

  private interface Test {
    boolean test(Double a, Double b);
  }

  private static Expression logical(Expression left, Expression right, Test test) {
    return points -> {
      Double a = number(left.value(points));
      Double b = number(right.value(points));
      return a == null || b == null ? null : test.test(a, b) ? 1.0 : 0.0;
    };
  }

  private static Double number(Object value) {
    if (value instanceof List<?>) {
      throw new IllegalStateException("an array where a number is wanted (wrap it in SUM, AVG, MIN or MAX)");
    }
    return (Double) value;
  }

  private void space() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private boolean symbol(String s) {
    space();
    if (text.startsWith(s, at)) {
      at += s.length();
      return true;
    }
    return false;
  }

  private boolean word(String w) {
    space();
    int end = at + w.length();
    if (text.startsWith(w, at) && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
      at = end;
      return true;
    }
    return false;
  }

  private void expect(String s) {
    if (!symbol(s)) {
      throw problem("expected '" + s + "'");
    }
  }

  private IllegalArgumentException problem(String what) {
    return new IllegalArgumentException(what + " in the metric math " + text);
  }
}
