package fabric.drills.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A history as JSON, so that a drill can be re-checked offline:
 *
 * <pre>{@code
 * {"format":"fabric-drills-history/1",
 * "faults":[
 * {"name":"kill-9","target":"node-2","start_nanos":1000,"end_nanos":6000}],
 * "ops":[
 * {"index":0,"process":1,"type":"invoke","f":"write","key":"k","value":"a","time_nanos":2000},
 * {"index":1,"process":1,"type":"ok","f":"write","key":"k","value":"a","time_nanos":3000},
 * {"index":2,"process":2,"type":"invoke","f":"cas","key":"k",
 *  "value":{"expected":"a","new":"b"},"time_nanos":4000},
 * {"index":3,"process":2,"type":"info","f":"cas","key":"k",
 *  "value":{"expected":"a","new":"b"},"time_nanos":5000,"error":"timeout"}]}
 * }</pre>
 *
 * <p>A value is a JSON string, a cas pair object, a queue message {@code {"id":..,"body":..}}
 * (a send's result), an array of messages (a receive's result, a batch delete), or
 * absent/null. Written and read with the
 * streaming API, one op per line: a long drill has millions of events, and a tree of them all
 * would cost gigabytes.
 */
public final class HistoryJson {
  public static final String FORMAT = "fabric-drills-history/1";
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private HistoryJson() {}

  public static void write(History history, Path file) {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(history, w);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write history to " + file, e);
    }
  }

  public static History read(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read history from " + file, e);
    }
  }

  public static String toJson(History history) {
    StringWriter w = new StringWriter();
    try {
      write(history, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  public static History fromJson(String json) {
    try {
      return read(new StringReader(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(History history, Writer out) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setPrettyPrinter(new OnePerLine());
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeArrayFieldStart("faults");
      for (FaultEvent f : history.faults()) {
        g.writeStartObject();
        g.writeStringField("name", f.name());
        g.writeStringField("target", f.target());
        g.writeNumberField("start_nanos", f.startNanos());
        if (f.endNanos() != null) {
          g.writeNumberField("end_nanos", f.endNanos());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("ops");
      for (Op op : history.ops()) {
        writeOp(g, op);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  /**
   * Compact objects, but each top-level field and each element of a top-level array (a
   * fault, an op) on a line of its own; arrays within an op (received messages) stay on its
   * line.
   */
  private static final class OnePerLine extends MinimalPrettyPrinter {
    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(g.getOutputContext().getParent().inRoot() ? ",\n" : ",");
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      if (topLevelArray(g)) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(topLevelArray(g) ? ",\n" : ",");
    }

    /** In an array that is a field of the document's object ("faults", "ops"). */
    private static boolean topLevelArray(JsonGenerator g) {
      JsonStreamContext parent = g.getOutputContext().getParent();
      return parent != null && parent.getParent() != null && parent.getParent().inRoot();
    }
  }

  private static void writeOp(JsonGenerator g, Op op) throws IOException {
    g.writeStartObject();
    g.writeNumberField("index", op.index());
    g.writeNumberField("process", op.process());
    g.writeStringField("type", op.type().name().toLowerCase(Locale.ROOT));
    g.writeStringField("f", op.f());
    g.writeStringField("key", op.key());
    if (op.value() != null) {
      g.writeFieldName("value");
      writeValue(g, op.value());
    }
    g.writeNumberField("time_nanos", op.timeNanos());
    if (op.error() != null) {
      g.writeStringField("error", op.error());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, OpValue value) throws IOException {
    if (value instanceof OpValue.Single single) {
      g.writeString(single.value());
    } else if (value instanceof OpValue.Cas cas) {
      g.writeStartObject();
      g.writeStringField("expected", cas.expected());
      g.writeStringField("new", cas.next());
      g.writeEndObject();
    } else if (value instanceof OpValue.Message m) {
      writeMessage(g, m);
    } else if (value instanceof OpValue.Messages ms) {
      g.writeStartArray();
      for (OpValue.Message m : ms.messages()) {
        writeMessage(g, m);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("unknown value kind: " + value);
    }
  }

  private static void writeMessage(JsonGenerator g, OpValue.Message m) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", m.id());
    g.writeStringField("body", m.body());
    g.writeEndObject();
  }

  private static History read(Reader in) throws IOException {
    List<Op> ops = new ArrayList<>();
    List<FaultEvent> faults = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(in)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "format" -> {
            if (!FORMAT.equals(p.getText())) {
              throw new IOException("unsupported history format: " + p.getText());
            }
          }
          case "faults" -> {
            expect(t, JsonToken.START_ARRAY, p);
            while (p.nextToken() == JsonToken.START_OBJECT) {
              faults.add(fault(MAPPER.readTree(p)));
            }
          }
          case "ops" -> {
            expect(t, JsonToken.START_ARRAY, p);
            // One small tree per op: memory stays proportional to the ops, not to a DOM.
            while (p.nextToken() == JsonToken.START_OBJECT) {
              ops.add(op(MAPPER.readTree(p)));
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    try {
      return History.of(ops, faults);
    } catch (RuntimeException e) {
      throw new IOException("malformed history: " + e.getMessage(), e);
    }
  }

  private static FaultEvent fault(JsonNode n) throws IOException {
    JsonNode end = n.get("end_nanos");
    return new FaultEvent(text(n, "name"), text(n, "target"), number(n, "start_nanos"),
        end == null || end.isNull() ? null : end.asLong());
  }

  private static Op op(JsonNode n) throws IOException {
    OpType type;
    try {
      type = OpType.valueOf(text(n, "type").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown op type in " + n);
    }
    JsonNode error = n.get("error");
    return new Op(number(n, "index"), (int) number(n, "process"), type, text(n, "f"),
        text(n, "key"), value(n.get("value")), number(n, "time_nanos"),
        error == null || error.isNull() ? null : error.asText());
  }

  private static OpValue value(JsonNode v) throws IOException {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return new OpValue.Single(v.asText());
    }
    if (v.isObject() && v.has("expected") && v.has("new")) {
      return new OpValue.Cas(nullableText(v.get("expected")), nullableText(v.get("new")));
    }
    if (v.isObject()) {
      return message(v);
    }
    if (v.isArray()) {
      List<OpValue.Message> messages = new ArrayList<>(v.size());
      for (JsonNode m : v) {
        messages.add(message(m));
      }
      return new OpValue.Messages(messages);
    }
    throw new IOException("unsupported value: " + v);
  }

  private static OpValue.Message message(JsonNode m) throws IOException {
    if (!m.isObject()) {
      throw new IOException("unsupported message: " + m);
    }
    return new OpValue.Message(text(m, "id"), text(m, "body"));
  }

  private static String nullableText(JsonNode n) {
    return n.isNull() ? null : n.asText();
  }

  private static String text(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IOException("missing text field '" + field + "' in " + n);
    }
    return v.asText();
  }

  private static long number(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber()) {
      throw new IOException("missing integer field '" + field + "' in " + n);
    }
    return v.asLong();
  }

  private static void expect(JsonToken actual, JsonToken expected, JsonParser p)
      throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " but found " + actual + " at "
          + p.currentLocation());
    }
  }
}
