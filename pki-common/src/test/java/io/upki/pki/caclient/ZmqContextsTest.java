package io.upki.pki.caclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.zeromq.ZContext;

/** {@link ZmqContexts}: an I/O thread's notice at shutdown is one log line, never a stack trace on stderr. */
class ZmqContextsTest {
    @Test
    void aClosedChannelNoticeIsOneLineWithoutAStackTrace() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ZContext context = ZmqContexts.open("test")) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            context.getNotificationExceptionHandler().uncaughtException(Thread.currentThread(), new ClosedChannelException());
        } finally {
            System.setErr(err);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("\tat ");
        assertThat(printed.lines().count()).isLessThanOrEqualTo(1);
    }

    @Test
    void jeromqsOwnDefaultPrintsTheStackTraceThatThisReplaces() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ZContext context = new ZContext(1)) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            context.getNotificationExceptionHandler().uncaughtException(Thread.currentThread(), new ClosedChannelException());
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("ClosedChannelException").contains("\tat ");
    }
}
