package io.upki.e2e.architecture.cycle.a;

import io.upki.e2e.architecture.cycle.b.Second;

/** Half of a deliberate package cycle: the fixture that proves PackageCyclesTest can fail. */
public final class First {
    public Second next() {
        return new Second();
    }
}
