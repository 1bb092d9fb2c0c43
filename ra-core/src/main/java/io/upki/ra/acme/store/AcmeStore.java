package io.upki.ra.acme.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable ACME state, one group of methods per resource. Implementations are safe for concurrent use;
 * {@link #transaction} makes several updates one atomic change.
 */
public interface AcmeStore extends AutoCloseable {
    // accounts
    void insertAccount(Account account);

    Optional<Account> account(String id);

    Optional<Account> accountByThumbprint(String thumbprint);

    Optional<Account> accountByEabKid(String kid);

    void updateAccount(Account account);

    // orders, with their authorizations and challenges created together
    void insertOrder(Order order, List<Authorization> authorizations, List<Challenge> challenges);

    Optional<Order> order(String id);

    List<String> orderIds(String accountId);

    void updateOrder(Order order);

    /** Moves an order from {@code from} to {@code to} only if it is still in {@code from}. */
    boolean transitionOrder(String id, Order.Status from, Order.Status to);

    // authorizations and challenges
    Optional<Authorization> authorization(String id);

    void updateAuthorization(Authorization authorization);

    Optional<Challenge> challenge(String id);

    List<Challenge> challenges(String authorizationId);

    void updateChallenge(Challenge challenge);

    /** Moves a challenge from PENDING to PROCESSING only if it is still pending. */
    boolean startChallenge(String id);

    // certificates
    void insertCertificate(IssuedCertificate certificate);

    Optional<IssuedCertificate> certificate(String id);

    Optional<IssuedCertificate> certificateBySerial(BigInteger serial);

    void markRevoked(String id, Instant at);

    /** How many orders are in each state (metrics); an empty map when the store cannot tell. */
    default java.util.Map<Order.Status, Long> orderCounts() {
        return java.util.Map.of();
    }

    /** Runs {@code work} as one atomic change. */
    void transaction(Runnable work);

    @Override
    void close();
}
