package fabric.core.entity;

import fabric.core.serialization.CborSerializable;

/** What an entity answers to a command; a record per kind of answer. */
public interface Reply extends CborSerializable {}
