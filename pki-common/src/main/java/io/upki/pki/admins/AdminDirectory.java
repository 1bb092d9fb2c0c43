package io.upki.pki.admins;

import io.upki.pki.x509.DistinguishedNames;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current administrator DNs, held as RFC 5280 canonical keys so that slash and RFC 4514 forms and
 * case differences compare equal. Replaced whole on each refresh; listeners hear of changes.
 */
public final class AdminDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(AdminDirectory.class);

    private final AtomicReference<Set<String>> keys = new AtomicReference<>(Set.of());
    private final Runnable onChange;
    private volatile boolean loaded;

    public AdminDirectory(Runnable onChange) {
        this.onChange = onChange;
    }

    public boolean contains(String canonicalKey) {
        return keys.get().contains(canonicalKey);
    }

    /** True once a list was loaded (an empty list counts). */
    public boolean loaded() {
        return loaded;
    }

    public int size() {
        return keys.get().size();
    }

    /** Replaces the list; DNs that do not parse are skipped and logged. */
    public void replace(List<String> dns, String source) {
        Set<String> next = new HashSet<>();
        for (String dn : dns) {
            String d = dn.strip();
            if (d.isEmpty() || d.startsWith("#")) {
                continue;
            }
            try {
                next.add(DistinguishedNames.canonicalKey(DistinguishedNames.parse(d)));
            } catch (IllegalArgumentException e) {
                LOG.warn("admin list from {}: skipping '{}': {}", source, d, e.getMessage());
            }
        }
        Set<String> previous = keys.getAndSet(Set.copyOf(next));
        loaded = true;
        if (!previous.equals(next)) {
            LOG.info("admin list from {}: {} administrators", source, next.size());
            onChange.run();
        }
    }
}
