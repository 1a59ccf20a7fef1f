package fabric.storage.service;

import fabric.core.error.CommonErrors;
import fabric.core.error.ServiceException;
import java.util.concurrent.CompletionException;

/** Finds the {@link ServiceException} inside a failed stage. */
final class ServiceExceptions {
  private ServiceExceptions() {}

  static ServiceException unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ServiceException se) {
      return se;
    }
    return new ServiceException(CommonErrors.InternalError.withMessage(String.valueOf(t)), t);
  }

  /** True if the outcome of the request is unknown (it may have been applied). */
  static boolean unknownOutcome(ServiceException e) {
    return e.error().code().equals(CommonErrors.ServiceUnavailable.awsCode());
  }
}
