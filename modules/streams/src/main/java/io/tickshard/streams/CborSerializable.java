package io.tickshard.streams;

/**
 * Marks messages and events that cross the network or go to the journal; bound to Jackson CBOR in
 * {@code reference.conf}. A marker interface rather than {@code Object}, so that nothing is
 * serialized by accident.
 */
public interface CborSerializable {}
