package nl.onderdak.core.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.onderdak.core.model.Regions;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.FieldError.Codes;
import nl.onderdak.core.validation.ValidationException;

/**
 * Reads the targets file operators keep in a spreadsheet:
 *
 * <pre>
 * region,year,homes,households,name
 * PV26,2026,1200,3000,Utrecht
 * GM0344,2026,300,,Utrecht (gemeente)
 * </pre>
 *
 * The columns may come in any order; an empty cell means "nothing agreed". Separators {@code ,} or
 * {@code ;} (what a Dutch spreadsheet writes). Every line is checked before anything is stored, and every
 * problem is reported with its line and column ({@code lines[3].homes}), so a file is fixed in one go.
 */
public final class TargetsCsv {
  public static final int MAX_LINES = 5_000;
  static final List<String> COLUMNS = List.of("region", "year", "homes", "households", "name");

  private TargetsCsv() {}

  public static List<Target> parse(String text) {
    List<FieldError> errors = new ArrayList<>();
    String[] lines = text.replace("\uFEFF", "").split("\r?\n", -1);
    int last = lines.length;
    while (last > 0 && lines[last - 1].isBlank()) {
      last--;
    }
    if (last == 0) {
      throw new ValidationException(List.of(new FieldError("lines[1]", Codes.MISSING,
          "a header line naming the columns " + String.join(",", COLUMNS))));
    }
    if (last > MAX_LINES + 1) {
      throw new ValidationException(List.of(new FieldError("lines", Codes.TOO_MANY,
          "at most " + MAX_LINES + " targets in one file")));
    }
    String separator = lines[0].contains(";") && !lines[0].contains(",") ? ";" : ",";
    Map<String, Integer> column = new HashMap<>();
    String[] header = lines[0].split(separator, -1);
    for (int i = 0; i < header.length; i++) {
      String name = header[i].strip().toLowerCase(java.util.Locale.ROOT);
      if (!COLUMNS.contains(name)) {
        errors.add(new FieldError("lines[1]." + (name.isEmpty() ? "column" + (i + 1) : name), Codes.UNKNOWN_FIELD,
            "the columns are " + String.join(",", COLUMNS)));
      } else if (column.put(name, i) != null) {
        errors.add(new FieldError("lines[1]." + name, Codes.DUPLICATE, "the column appears twice"));
      }
    }
    for (String required : List.of("region", "year")) {
      if (!column.containsKey(required)) {
        errors.add(new FieldError("lines[1]." + required, Codes.MISSING, "the header must name this column"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    List<Target> targets = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int n = 1; n < last; n++) {
      String line = lines[n];
      if (line.isBlank()) {
        continue;
      }
      String at = "lines[" + (n + 1) + "]";
      String[] cells = line.split(separator, -1);
      if (cells.length != header.length) {
        errors.add(new FieldError(at, Codes.INVALID_FORMAT,
            header.length + " cells expected, found " + cells.length + " (quotes are not needed: codes and numbers only)"));
        continue;
      }
      String region = Regions.normalise(cell(cells, column.get("region")));
      if (region == null || !Regions.isRegion(region)) {
        errors.add(new FieldError(at + ".region", Codes.INVALID_VALUE, "a province (PV20..PV31) or municipality (GM0000) code"));
      }
      Integer year = number(cells, column.get("year"), at + ".year", 2000, 2100, true, errors);
      Integer homes = number(cells, column.get("homes"), at + ".homes", 0, 1_000_000, false, errors);
      Integer households = number(cells, column.get("households"), at + ".households", 0, 1_000_000, false, errors);
      if (region != null && year != null && !seen.add(year + "#" + region)) {
        errors.add(new FieldError(at + ".region", Codes.DUPLICATE, region + " already has a line for " + year));
      }
      String name = cell(cells, column.get("name"));
      if (name.length() > 80 || name.chars().anyMatch(Character::isISOControl)) {
        errors.add(new FieldError(at + ".name", Codes.TOO_LONG, "at most 80 characters on one line"));
      }
      targets.add(new Target(region, year == null ? 0 : year, homes, households, name.isEmpty() ? null : name));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors.size() > 100 ? errors.subList(0, 100) : errors);
    }
    return targets;
  }

  private static String cell(String[] cells, Integer index) {
    return index == null ? "" : cells[index].strip();
  }

  private static Integer number(String[] cells, Integer index, String field, int min, int max, boolean required,
      List<FieldError> errors) {
    String text = cell(cells, index);
    if (text.isEmpty()) {
      if (required) {
        errors.add(new FieldError(field, Codes.MISSING, "required"));
      }
      return null;
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        errors.add(new FieldError(field, Codes.OUT_OF_RANGE, "between " + min + " and " + max));
        return null;
      }
      return value;
    } catch (NumberFormatException e) {
      errors.add(new FieldError(field, Codes.WRONG_TYPE, "a whole number"));
      return null;
    }
  }
}
