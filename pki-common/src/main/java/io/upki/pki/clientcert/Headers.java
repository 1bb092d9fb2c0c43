package io.upki.pki.clientcert;

import java.util.List;

/** Read access to request headers by case-insensitive name, every occurrence. */
@FunctionalInterface
public interface Headers {
    List<String> all(String name);
}
