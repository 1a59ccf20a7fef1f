package fabric.core.entity;

import fabric.core.error.ServiceError;

/** The command was refused: nothing was persisted. */
public record Rejected(ServiceError error) implements Reply {}
