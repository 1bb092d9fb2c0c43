package io.upki.acme.store;

import java.nio.file.Path;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** A store suite run once per {@link StoreEngine}; {@link #open} reopens the same store within a test. */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreEngine.class)
abstract class EngineSuite {
    @Parameter
    StoreEngine engine;
    @TempDir
    Path dir;
    private io.upki.acme.db.StoreLocation location;

    AcmeStore open() {
        if (location == null) {
            location = engine.freshLocation(dir);
        }
        return AcmeStore.open(location);
    }
}
