package io.upki.ca.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.ca.store.CertificateRepository;
import io.upki.ca.store.DuplicateSerialException;
import io.upki.ca.store.JdbcCertificateRepository;
import io.upki.ca.store.Reservation;
import io.upki.ca.store.SqliteDatabase;
import io.upki.ca.store.StoreException;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reservations of concurrent issuances share one durable commit, and each still gets its own answer. */
class GroupCommitTest {
    @TempDir
    Path dir;

    private static Reservation reservation(long serial) {
        return new Reservation(BigInteger.valueOf(serial), new byte[] {1, 2, 3}, "sha256", "server", null, Instant.now());
    }

    /** A repository that records the size of each reserveAll and holds the first one until released. */
    private static CertificateRepository recording(List<Integer> batches, CountDownLatch firstStarted, CountDownLatch release) {
        return (CertificateRepository) Proxy.newProxyInstance(GroupCommitTest.class.getClassLoader(),
                new Class<?>[] {CertificateRepository.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("reserveAll")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    batches.add(((List<?>) args[0]).size());
                    firstStarted.countDown();
                    if (!release.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("not released");
                    }
                    return null;
                });
    }

    @Test
    void reservationsArrivingDuringACommitGoInTheNextOneTogether() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit group = new GroupCommit(recording(batches, started, release))) {
            CompletableFuture<Void> first = group.submit(reservation(1));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (int i = 2; i <= 11; i++) {
                waiting.add(group.submit(reservation(i)));
            }
            assertThat(first).isNotDone();
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Void> f : waiting) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(batches).containsExactly(1, 10);
    }

    @Test
    void aTakenSerialFailsOnlyItsOwnIssuance() {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("upki.db"))) {
            JdbcCertificateRepository repo = new JdbcCertificateRepository(db);
            repo.reserve(reservation(7));
            GroupCommit group = new GroupCommit(repo);
            List<CompletableFuture<Void>> answers = group.commitNow(List.of(reservation(5), reservation(7), reservation(9)));

            assertThat(answers.get(0)).isCompleted();
            assertThat(answers.get(2)).isCompleted();
            assertThatThrownBy(answers.get(1)::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(DuplicateSerialException.class);
            assertThat(repo.reservations()).extracting(Reservation::serial)
                    .containsExactlyInAnyOrder(BigInteger.valueOf(5), BigInteger.valueOf(7), BigInteger.valueOf(9));
        }
    }

    @Test
    void aBatchIsRecordedWholeOrNotAtAll() {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("upki.db"))) {
            JdbcCertificateRepository repo = new JdbcCertificateRepository(db);
            repo.reserve(reservation(7));
            assertThatThrownBy(() -> repo.reserveAll(List.of(reservation(5), reservation(7))))
                    .isInstanceOf(DuplicateSerialException.class);
            assertThat(repo.reservations()).extracting(Reservation::serial).containsExactly(BigInteger.valueOf(7));
        }
    }

    @Test
    void aStoreFailureFailsEveryIssuanceOfTheBatch() {
        StoreException down = new StoreException("database error: disk I/O error", null);
        CertificateRepository failing = (CertificateRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CertificateRepository.class}, (proxy, method, args) -> {
                    throw down;
                });
        List<CompletableFuture<Void>> answers = new GroupCommit(failing).commitNow(List.of(reservation(1), reservation(2)));
        for (CompletableFuture<Void> a : answers) {
            assertThatThrownBy(a::join).hasCause(down);
        }
    }

    @Test
    void nothingIsAcceptedAfterClose() throws Exception {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("upki.db"))) {
            JdbcCertificateRepository repo = new JdbcCertificateRepository(db);
            GroupCommit group = new GroupCommit(repo);
            group.submit(reservation(1)).get(10, TimeUnit.SECONDS);
            group.close();
            assertThatThrownBy(group.submit(reservation(2))::join).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(repo.reservations()).extracting(Reservation::serial).containsExactly(BigInteger.valueOf(1));
        }
    }
}
