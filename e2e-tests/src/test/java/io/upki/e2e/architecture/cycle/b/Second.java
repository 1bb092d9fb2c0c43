package io.upki.e2e.architecture.cycle.b;

import io.upki.e2e.architecture.cycle.a.First;

/** The other half of the deliberate package cycle of PackageCyclesTest. */
public final class Second {
    public First back() {
        return new First();
    }
}
