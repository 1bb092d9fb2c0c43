package io.upki.ca.wire;

/** Wraps the run of a task handler, to time it; the default runs it as is. */
@FunctionalInterface
public interface TaskTimer {
    TaskTimer NONE = (task, params, handler) -> handler.handle(params);

    /** Runs {@code handler} for {@code task} and returns its result, or throws what it throws. */
    Object run(String task, Params params, TaskHandler handler);
}
