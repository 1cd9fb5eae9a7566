package nl.onderdak.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import nl.onderdak.core.validation.FieldError;
import nl.onderdak.core.validation.ValidationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class TargetsCsvTest {

  @Test
  void readsWhatASpreadsheetWrites() {
    List<Target> targets = TargetsCsv.parse("\uFEFFyear;Region;households;homes\r\n2026;pv26;300;120\r\n\r\n2026;GM0344;;40\r\n");
    assertEquals(List.of(new Target("PV26", 2026, 120, 300), new Target("GM0344", 2026, 40, null)), targets);
  }

  @Test
  void aMunicipalityMayBeNamed() {
    Target t = TargetsCsv.parse("region,year,households,name\nGM0344,2027,12,Utrecht (gemeente)\n").get(0);
    assertEquals("Utrecht (gemeente)", t.name());
  }

  @Test
  void anEmptyCellOrAMissingColumnMeansNothingAgreed() {
    Target t = TargetsCsv.parse("region,year,households\nPV20,2027,12\n").get(0);
    assertNull(t.homes());
    assertEquals(12, t.households());
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsLineAndColumn() {
    ValidationException e = assertThrows(ValidationException.class, () -> TargetsCsv.parse("""
        region,year,homes,households
        PV26,2026,10,20
        PV99,2026,x,20
        GM0344,1999,5,-1
        PV26,2026,1,1
        PV27,2026
        """));
    Set<String> fields = new TreeSet<>();
    e.errors().forEach(error -> fields.add(error.field() + ":" + error.code()));
    assertEquals(new TreeSet<>(List.of(
        "lines[3].region:" + FieldError.Codes.INVALID_VALUE,
        "lines[3].homes:" + FieldError.Codes.WRONG_TYPE,
        "lines[4].year:" + FieldError.Codes.OUT_OF_RANGE,
        "lines[4].households:" + FieldError.Codes.OUT_OF_RANGE,
        "lines[5].region:" + FieldError.Codes.DUPLICATE,
        "lines[6]:" + FieldError.Codes.INVALID_FORMAT)), fields);
  }

  @Test
  void theHeaderMustNameKnownColumnsIncludingRegionAndYear() {
    ValidationException e = assertThrows(ValidationException.class, () -> TargetsCsv.parse("regio,homes\nPV26,1\n"));
    Set<String> fields = new TreeSet<>();
    e.errors().forEach(error -> fields.add(error.field() + ":" + error.code()));
    assertEquals(new TreeSet<>(List.of("lines[1].regio:unknown_field", "lines[1].region:missing", "lines[1].year:missing")),
        fields);
    assertThrows(ValidationException.class, () -> TargetsCsv.parse("\n\n"));
  }
}
