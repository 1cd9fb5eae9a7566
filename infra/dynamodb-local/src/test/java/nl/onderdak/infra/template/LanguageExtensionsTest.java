package nl.onderdak.infra.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS::LanguageExtensions functions the template uses, applied as CloudFormation applies them. */
@Tag("fast")
class LanguageExtensionsTest {
  @TempDir
  Path dir;

  private Map<String, Object> expand(String yaml) throws Exception {
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, yaml);
    return SamTemplate.load(file).document();
  }

  @Test
  void forEachMakesOneEntryPerValueAndTheTransformIsGone() throws Exception {
    Map<String, Object> doc = expand("""
        Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
        Resources:
          First:
            Type: AWS::SQS::Queue
          Fn::ForEach::Logs:
            - Name
            - [Alpha, Beta]
            - ${Name}Logs:
                Type: AWS::Logs::LogGroup
                Properties:
                  LogGroupName: !Sub /x/${AWS::StackName}/${Name}
                  Tags: [{Key: name, Value: !Ref Name}]
          Last:
            Type: AWS::SQS::Queue
        """);
    assertEquals("AWS::Serverless-2016-10-31", doc.get("Transform"));
    @SuppressWarnings("unchecked")
    Map<String, Object> resources = (Map<String, Object>) doc.get("Resources");
    assertEquals(List.of("First", "AlphaLogs", "BetaLogs", "Last"), List.copyOf(resources.keySet()),
        "the copies stand where the loop stood");
    assertEquals(Map.of("Type", "AWS::Logs::LogGroup", "Properties", Map.of(
        "LogGroupName", Map.of("Fn::Sub", "/x/${AWS::StackName}/Beta"),
        "Tags", List.of(Map.of("Key", "name", "Value", "Beta")))), resources.get("BetaLogs"));
  }

  @Test
  void toJsonStringLeavesItsIntrinsicsToCloudFormation() throws Exception {
    Map<String, Object> doc = expand("""
        Transform: [AWS::LanguageExtensions]
        Resources:
          Board:
            Type: AWS::CloudWatch::Dashboard
            Properties:
              DashboardBody:
                Fn::ToJsonString:
                  widgets:
                    - region: !Ref AWS::Region
                      alarms: [!GetAtt Alarm.Arn]
                      title: !Sub "Errors of ${Fn}"
                      markdown: "costs ${5}"
                      width: 12
        """);
    @SuppressWarnings("unchecked")
    Map<String, Object> board = (Map<String, Object>) ((Map<String, Object>) doc.get("Resources")).get("Board");
    assertEquals(Map.of("DashboardBody", Map.of("Fn::Sub", "{\"widgets\":[{\"region\":\"${AWS::Region}\","
        + "\"alarms\":[\"${Alarm.Arn}\"],\"title\":\"Errors of ${Fn}\",\"markdown\":\"costs ${!5}\","
        + "\"width\":12}]}")), board.get("Properties"));
    assertEquals(null, doc.get("Transform"));
  }

  @Test
  void aLoopThatMakesOneNameTwiceIsRefused() {
    assertThrows(IllegalStateException.class, () -> expand("""
        Transform: AWS::LanguageExtensions
        Resources:
          Fn::ForEach::Twice:
            - Name
            - [A, A]
            - ${Name}Queue:
                Type: AWS::SQS::Queue
        """));
  }

  @Test
  void withoutTheTransformNothingIsTouched() throws Exception {
    Map<String, Object> doc = expand("""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn::ForEach::NotApplied:
            - Name
            - [A]
            - ${Name}Queue:
                Type: AWS::SQS::Queue
        """);
    @SuppressWarnings("unchecked")
    Map<String, Object> resources = (Map<String, Object>) doc.get("Resources");
    assertEquals(List.of("Fn::ForEach::NotApplied"), List.copyOf(resources.keySet()));
  }
}
