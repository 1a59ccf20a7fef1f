package fabric.storage.registry;

import fabric.core.serialization.CborSerializable;

public sealed interface RegistryEvent extends CborSerializable {
  record NameClaimed(BucketEntry entry) implements RegistryEvent {}

  record NameReleased(String name) implements RegistryEvent {}
}
