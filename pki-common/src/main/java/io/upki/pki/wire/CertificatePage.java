package io.upki.pki.wire;

import java.util.List;

/**
 * DATA of {@code list_nodes} asked with a {@code filter} ({@link NodeQuery}): one page of matching node
 * records, oldest first, and how many match in all.
 */
public record CertificatePage(List<NodeRecord> items, long total, int offset, int limit) {
    public CertificatePage {
        items = List.copyOf(items);
    }

    /** True when matching certificates follow this page. */
    public boolean hasMore() {
        return offset + (long) items.size() < total;
    }
}
