package nl.onderdak.infra.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads a CloudFormation/SAM YAML document into plain maps and lists, rewriting the short-form
 * intrinsic tags ({@code !Ref X}, {@code !GetAtt A.B}, {@code !Sub s}, ...) to their long form
 * ({@code {Ref: X}}, {@code {Fn::GetAtt: [A, B]}}, {@code {Fn::Sub: s}}), as CloudFormation does.
 */
public final class CloudFormationYaml {
  private CloudFormationYaml() {}

  public static Map<String, Object> load(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return load(reader);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(Reader reader) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(10 * 1024 * 1024);
    Object doc = new Yaml(new IntrinsicConstructor(options)).load(reader);
    if (!(doc instanceof Map)) {
      throw new IllegalArgumentException("a template must be a YAML mapping");
    }
    return (Map<String, Object>) doc;
  }

  /** Any tag SnakeYAML does not know is taken as a CloudFormation intrinsic function. */
  private static final class IntrinsicConstructor extends SafeConstructor {
    IntrinsicConstructor(LoaderOptions options) {
      super(options);
      this.yamlConstructors.put(null, new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          String tag = node.getTag().getValue();
          if (!tag.startsWith("!")) {
            throw new IllegalArgumentException("unsupported YAML tag " + tag);
          }
          String name = tag.substring(1);
          String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
          Object value;
          if (node instanceof ScalarNode scalar) {
            String text = scalar.getValue();
            // !GetAtt Resource.Attribute is the one short form whose scalar becomes a list.
            value = name.equals("GetAtt") ? new ArrayList<>(Arrays.asList(text.split("\\.", 2))) : text;
          } else if (node instanceof SequenceNode seq) {
            value = constructSequence(seq);
          } else {
            value = constructMapping((MappingNode) node);
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put(key, value);
          return out;
        }
      });
    }

    @Override
    protected List<Object> constructSequence(SequenceNode node) {
      List<Object> list = new ArrayList<>();
      for (Node child : node.getValue()) {
        list.add(constructObject(child));
      }
      return list;
    }
  }
}
