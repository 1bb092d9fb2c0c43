package io.upki.ca.wire;

/** One task's implementation: reads its parameters and returns the value sent as {@code DATA}. */
@FunctionalInterface
public interface TaskHandler {
    Object handle(Params params);
}
