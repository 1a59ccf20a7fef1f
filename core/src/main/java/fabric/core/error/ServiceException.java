package fabric.core.error;

/** Carries a {@link ServiceError} through futures and call stacks to the protocol adapter. */
public final class ServiceException extends RuntimeException {
  private final ServiceError error;

  public ServiceException(ServiceError error) {
    super(error.toString(), null, false, false);
    this.error = error;
  }

  /** For an unexpected failure turned into an AWS error: the cause stays for the server log. */
  public ServiceException(ServiceError error, Throwable cause) {
    super(error.toString(), cause, false, true);
    this.error = error;
  }

  public ServiceError error() {
    return error;
  }
}
