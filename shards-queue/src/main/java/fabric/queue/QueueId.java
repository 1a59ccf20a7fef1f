package fabric.queue;

import fabric.queue.attributes.QueueNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A queue's identity: region, owning account and name, and the forms AWS shows it in: the
 * queue URL ({@code http://host:port/<account>/<name>}, what every operation takes) and the
 * ARN ({@code arn:aws:sqs:<region>:<account>:<name>}, what redrive policies and move tasks
 * name). The entity id is {@code <account>/<name>}: one region per fabric.
 */
public record QueueId(String region, String account, String name) {
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

  public QueueId {
    // A caller can name another account (GetQueueUrl's QueueOwnerAWSAccountId): bad input.
    if (account == null || !ACCOUNT.matcher(account).matches()) {
      throw SqsErrors.InvalidParameterValue.exception("'" + account + "' is not an AWS "
          + "account id (12 digits).");
    }
  }

  public String entityId() {
    return account + "/" + name;
  }

  public static QueueId fromEntityId(String region, String entityId) {
    int slash = entityId.indexOf('/');
    return new QueueId(region, entityId.substring(0, slash), entityId.substring(slash + 1));
  }

  /** @param endpoint where clients reach the fabric, e.g. {@code http://localhost:4566} */
  public String url(String endpoint) {
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1)
        : endpoint;
    return base + "/" + account + "/" + name;
  }

  private static final java.util.regex.Pattern EDGE_SLASHES =
      java.util.regex.Pattern.compile("^/+|/+$");

  public String arn() {
    return "arn:aws:sqs:" + region + ":" + account + ":" + name;
  }

  /** The queue a URL names; any host (clients reach the fabric under many names). */
  public static QueueId fromUrl(String region, String url) {
    String path;
    try {
      path = new URI(url == null ? "" : url.trim()).getPath();
    } catch (URISyntaxException e) {
      throw invalidUrl(url);
    }
    if (path == null) {
      throw invalidUrl(url);
    }
    String[] parts = EDGE_SLASHES.matcher(path).replaceAll("").split("/");
    if (parts.length != 2 || !ACCOUNT.matcher(parts[0]).matches() || parts[1].isEmpty()) {
      throw invalidUrl(url);
    }
    QueueNames.validate(parts[1], QueueNames.isFifo(parts[1]));
    return new QueueId(region, parts[0], parts[1]);
  }

  public static QueueId fromArn(String arn) {
    String[] parts = arn == null ? new String[0] : arn.split(":", -1);
    if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs")
        || parts[3].isEmpty() || !ACCOUNT.matcher(parts[4]).matches()) {
      throw SqsErrors.InvalidParameterValue.exception("'" + arn + "' is not the ARN of an "
          + "SQS queue (arn:aws:sqs:region:account:name).");
    }
    QueueNames.validate(parts[5], QueueNames.isFifo(parts[5]));
    return new QueueId(parts[3], parts[4], parts[5]);
  }

  private static RuntimeException invalidUrl(String url) {
    return SqsErrors.InvalidAddress.exception("The address " + url + " is not valid for "
        + "this endpoint: a queue URL ends in /<12-digit account>/<queue name>.");
  }
}
