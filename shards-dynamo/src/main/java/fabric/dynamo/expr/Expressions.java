package fabric.dynamo.expr;

import fabric.core.error.ServiceException;
import fabric.dynamo.expr.grammar.DynamoConditionLexer;
import fabric.dynamo.expr.grammar.DynamoConditionParser;
import fabric.dynamo.expr.grammar.DynamoUpdateLexer;
import fabric.dynamo.expr.grammar.DynamoUpdateParser;
import fabric.dynamo.model.DynamoErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/** What the expression kinds share: limits, the parsers' set-up, syntax errors, reserved words. */
final class Expressions {
  /** DynamoDB's limit on an expression string, in UTF-8 bytes. */
  static final int MAX_EXPRESSION_BYTES = 4096;
  /** DynamoDB's limit on a document path's depth. */
  static final int MAX_NESTING_LEVELS = 32;
  /**
   * Our limit on nested parentheses: the parsers recurse per level, and a 4 KB expression could
   * otherwise nest 2,000 deep and overflow a thread's stack. (DynamoDB's own limit, if any, is not
   * documented; the operator limit of 300 keeps real expressions far below this.)
   */
  static final int MAX_PARENTHESES_DEPTH = 100;

  private static final Set<String> RESERVED = loadReservedWords();

  private Expressions() {}

  /** Which request parameter an expression came in: the prefix of its error messages. */
  enum Kind {
    CONDITION("ConditionExpression"),
    FILTER("FilterExpression"),
    KEY_CONDITION("KeyConditionExpression"),
    UPDATE("UpdateExpression"),
    PROJECTION("ProjectionExpression");

    final String parameter;

    Kind(String parameter) {
      this.parameter = parameter;
    }

    ServiceException invalid(String message) {
      return DynamoErrors.validation("Invalid " + parameter + ": " + message);
    }
  }

  /** The checks DynamoDB makes before parsing: not empty, at most 4 KB. */
  static void checkText(Kind kind, String text) {
    if (text == null || text.isEmpty()) {
      throw kind.invalid("The expression can not be empty;");
    }
    int size = text.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_EXPRESSION_BYTES) {
      throw kind.invalid(
          "Expression size has exceeded the maximum allowed size; expression size: " + size);
    }
    int depth = 0;
    int deepest = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        deepest = Math.max(deepest, ++depth);
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      }
    }
    if (deepest > MAX_PARENTHESES_DEPTH) {
      throw kind.invalid("The expression has too many nested parentheses; nesting levels: "
          + deepest);
    }
  }

  static DynamoConditionParser conditionParser(Kind kind, String text) {
    DynamoConditionLexer lexer = new DynamoConditionLexer(CharStreams.fromString(text));
    lexer.removeErrorListeners();
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    DynamoConditionParser parser = new DynamoConditionParser(tokens);
    parser.removeErrorListeners();
    parser.addErrorListener(new SyntaxErrors(kind, text, tokens));
    return parser;
  }

  static DynamoUpdateParser updateParser(String text) {
    DynamoUpdateLexer lexer = new DynamoUpdateLexer(CharStreams.fromString(text));
    lexer.removeErrorListeners();
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    DynamoUpdateParser parser = new DynamoUpdateParser(tokens);
    parser.removeErrorListeners();
    parser.addErrorListener(new SyntaxErrors(Kind.UPDATE, text, tokens));
    return parser;
  }

  /**
   * Turns the parser's first syntax error into DynamoDB's message: the offending token, and the
   * text from the token before it to the token after it ({@code Syntax error; token: ":", near:
   * "hits : incr"}). The lexers never fail: a character they do not know is a token of its own.
   */
  private static final class SyntaxErrors extends BaseErrorListener {
    private final Kind kind;
    private final String text;
    private final CommonTokenStream tokens;

    SyntaxErrors(Kind kind, String text, CommonTokenStream tokens) {
      this.kind = kind;
      this.text = text;
      this.tokens = tokens;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
        int charPositionInLine, String msg, RecognitionException e) {
      throw kind.invalid(syntaxMessage((Token) offendingSymbol));
    }

    private String syntaxMessage(Token token) {
      tokens.fill();
      boolean eof = token.getType() == Token.EOF;
      int index = token.getTokenIndex();
      Token previous = index > 0 ? tokens.get(index - 1) : null;
      Token next = !eof && index + 1 < tokens.size() ? tokens.get(index + 1) : null;
      if (next != null && next.getType() == Token.EOF) {
        next = null;
      }
      Token first = previous != null ? previous : eof ? null : token;
      Token last = next != null ? next : eof ? previous : token;
      String near = first == null ? ""
          : text.substring(first.getStartIndex(), last.getStopIndex() + 1);
      return "Syntax error; token: \"" + (eof ? "<EOF>" : token.getText()) + "\", near: \""
          + near + "\"";
    }
  }

  /** Whether DynamoDB reserves the word (case-insensitive), so it can't be a bare name. */
  static boolean isReserved(String word) {
    return RESERVED.contains(word.toUpperCase(Locale.ROOT));
  }

  private static Set<String> loadReservedWords() {
    Set<String> words = new HashSet<>();
    try (InputStream in = Expressions.class.getResourceAsStream("reserved-words.txt")) {
      if (in == null) {
        throw new IllegalStateException("reserved-words.txt is missing from the classpath");
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String word = line.strip();
        if (!word.isEmpty() && !word.startsWith("#")) {
          words.add(word.toUpperCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(words);
  }

  static int reservedWordCount() {
    return RESERVED.size();
  }

  /** The kinds of static problems, so that the one DynamoDB reports first is thrown. */
  enum Problem {
    PARENS, UNKNOWN_FUNCTION, MISUSED_FUNCTION, RESERVED, SECTION, ATTR_NAME, ATTR_VALUE,
    PATH_DEPTH, PATH_OVERLAP, PATH_CONFLICT, OPERAND, OPERAND_COUNT, DISTINCT, FUNCTION
  }

  /** The order in which DynamoDB reports a condition's static problems. */
  static final List<Problem> CONDITION_ORDER = List.of(Problem.PARENS, Problem.UNKNOWN_FUNCTION,
      Problem.MISUSED_FUNCTION, Problem.RESERVED, Problem.ATTR_NAME, Problem.ATTR_VALUE,
      Problem.PATH_DEPTH, Problem.OPERAND_COUNT, Problem.DISTINCT, Problem.FUNCTION);
  static final List<Problem> UPDATE_ORDER = List.of(Problem.RESERVED, Problem.UNKNOWN_FUNCTION,
      Problem.SECTION, Problem.ATTR_NAME, Problem.ATTR_VALUE, Problem.PATH_DEPTH,
      Problem.PATH_OVERLAP, Problem.PATH_CONFLICT, Problem.OPERAND, Problem.FUNCTION);
  static final List<Problem> PROJECTION_ORDER = List.of(Problem.RESERVED, Problem.ATTR_NAME,
      Problem.PATH_DEPTH, Problem.PATH_OVERLAP, Problem.PATH_CONFLICT);

  /** Collects the first problem of each kind while an expression is built; throws the first. */
  static final class Problems {
    private final Kind kind;
    private final List<Problem> order;
    private final EnumMap<Problem, String> found = new EnumMap<>(Problem.class);

    Problems(Kind kind, List<Problem> order) {
      this.kind = kind;
      this.order = order;
    }

    void add(Problem problem, String message) {
      found.putIfAbsent(problem, message);
    }

    boolean any() {
      return !found.isEmpty();
    }

    void throwFirst() {
      for (Problem p : order) {
        String message = found.get(p);
        if (message != null) {
          throw kind.invalid(message);
        }
      }
      if (!found.isEmpty()) {
        throw kind.invalid(found.values().iterator().next());
      }
    }
  }
}
