package nl.onderdak.infra.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class CloudFormationYamlTest {

  @Test
  void shortFormIntrinsicsBecomeTheirLongForm() {
    Map<String, Object> doc = CloudFormationYaml.load(new StringReader("""
        Resources:
          Fn:
            Properties:
              Table: !Ref CasesTable
              Stream: !GetAtt CasesTable.StreamArn
              Url: !Sub https://${HttpApi}.execute-api.${AWS::Region}.amazonaws.com
              Joined: !Join [",", [a, b]]
              Nested: !Select [0, !GetAZs ""]
        """));
    Map<String, Object> props = SamTemplate.map(SamTemplate.map(SamTemplate.map(doc.get("Resources")).get("Fn"))
        .get("Properties"));
    assertEquals(Map.of("Ref", "CasesTable"), props.get("Table"));
    assertEquals(Map.of("Fn::GetAtt", List.of("CasesTable", "StreamArn")), props.get("Stream"));
    assertEquals(Map.of("Fn::Sub", "https://${HttpApi}.execute-api.${AWS::Region}.amazonaws.com"), props.get("Url"));
    assertEquals(Map.of("Fn::Join", List.of(",", List.of("a", "b"))), props.get("Joined"));
    assertEquals(Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))), props.get("Nested"));
  }

  @Test
  void globalsMergeIntoEachFunctionAndTheFunctionWins() {
    Map<String, Object> merged = SamTemplate.mergeGlobals(
        Map.of("Timeout", 15, "Environment", Map.of("Variables", Map.of("A", "global", "B", "global"))),
        Map.of("Timeout", 30, "Environment", Map.of("Variables", Map.of("B", "own"))));
    assertEquals(30, merged.get("Timeout"));
    assertEquals(Map.of("A", "global", "B", "own"),
        SamTemplate.map(SamTemplate.map(merged.get("Environment")).get("Variables")));
  }

  @Test
  void aDocumentThatIsNotAMappingIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CloudFormationYaml.load(new StringReader("- a\n- b\n")));
  }
}
