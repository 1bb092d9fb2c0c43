package io.upki.ca.store;

import java.util.List;

/** The administrator list: DNs as they were added, unique by canonical name. */
public interface AdminRepository {
    List<String> list();

    /** False when an equal DN (by canonical key) is already listed. */
    boolean add(String dn, String canonicalKey);

    /** False when no DN with this canonical key was listed. */
    boolean remove(String canonicalKey);
}
