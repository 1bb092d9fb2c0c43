package io.upki.pki.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared mixins through picocli: per-process variables, validated values, the version line. */
class SharedOptionsTest {
    /** A process as the four use the mixins: its own variables in one table. */
    @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = ProcessVersion.class)
    static final class Demo implements Callable<Integer> {
        @Mixin
        ListenOptions listen;

        @Mixin
        OpsListenOptions ops;

        @Mixin
        CrlFeedOptions crl;

        @Mixin
        AdminRefreshOption admins;

        @Override
        public Integer call() {
            return 0;
        }
    }

    private static final Map<String, String> TABLE = Map.of("--listen", "DEMO_LISTEN:-127.0.0.1:8089",
            "--ops-listen", "DEMO_OPS_LISTEN");

    private static Demo parse(Map<String, String> env, String... args) {
        Demo demo = new Demo();
        CommandLine cli = new CommandLine(demo);
        cli.setDefaultValueProvider(new EnvDefaults(TABLE, env::get));
        cli.parseArgs(args);
        return demo;
    }

    @Test
    void aTableEntryGivesTheVariableThenItsDefault() {
        assertThat(parse(Map.of()).listen.address().port()).isEqualTo(8089);
        assertThat(parse(Map.of("DEMO_LISTEN", " 0.0.0.0:9000 ")).listen.address().host()).isEqualTo("0.0.0.0");
        assertThat(parse(Map.of("DEMO_LISTEN", "0.0.0.0:9000"), "--listen", "127.0.0.1:1").listen.address().port())
                .isEqualTo(1);
        assertThat(parse(Map.of()).ops.address()).isNull();
        assertThat(parse(Map.of("DEMO_OPS_LISTEN", "127.0.0.1:9100")).ops.address().getPort()).isEqualTo(9100);
    }

    @Test
    void theReferenceSeesTheProcessTemplate() {
        CommandLine cli = new CommandLine(new Demo());
        cli.setDefaultValueProvider(new EnvDefaults(TABLE));
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        assertThat(EnvDefaults.template(spec.findOption("--listen"))).isEqualTo("${env:DEMO_LISTEN:-127.0.0.1:8089}");
        assertThat(EnvDefaults.template(spec.findOption("--crl-fallback-after"))).isNull();
        cli.parseArgs();
        // picocli resolves the template as it would the annotation (DEMO_LISTEN is not set here).
        assertThat(((Demo) cli.getCommand()).listen.address().port()).isEqualTo(8089);
    }

    @Test
    void malformedValuesAreRefusedWithTheOptionNamed() {
        assertThatThrownBy(() -> parse(Map.of(), "--listen", "nope").listen.address())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listen");
        assertThatThrownBy(() -> parse(Map.of(), "--ops-listen", "host:99999").ops.address())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--ops-listen");
        assertThatThrownBy(() -> parse(Map.of(), "--ca-events", "http://ca:5002").crl.fallback(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ca-events");
        assertThatThrownBy(() -> parse(Map.of(), "--ca-events", "tcp://ca:5002", "--crl-fallback-after", "PT0S")
                .crl.fallback(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crl-fallback-after");
    }

    @Test
    void theCrlFeedKeepsItsSourcesInOrder() {
        CrlFeedOptions feed = parse(Map.of(), "--crl", "a.der,b.der", "--crl", "c.der", "--ca-events", "tcp://ca:5002").crl;
        assertThat(feed.sources()).containsExactly("a.der", "b.der", "c.der");
        assertThat(feed.fallback(null).caEvents()).isEqualTo("tcp://ca:5002");
        assertThat(feed.fallback(null).after()).hasSeconds(2);
        assertThat(parse(Map.of()).crl.fallback(null)).isNull();
        assertThat(parse(Map.of()).crl.fallback(io.upki.pki.caclient.CaEndpoints.parse("tcp://a:5000,tcp://b:6000", "--ca"))
                .caEvents()).isEqualTo("tcp://a:5002,tcp://b:6002");
        assertThat(parse(Map.of(), "--ca-events", "none").crl.fallback(
                io.upki.pki.caclient.CaEndpoints.parse("tcp://a:5000", "--ca"))).isNull();
    }

    @Test
    void theCrlFeedGivesItsSettingsInOneRecord() {
        CrlFeedSettings feed = parse(Map.of(), "--crl", "a.der,b.der", "--crl-events", "http://p:8081/events")
                .crl.settings(io.upki.pki.caclient.CaEndpoints.parse("tcp://a:5000", "--ca"));
        assertThat(feed.sources()).containsExactly("a.der", "b.der");
        assertThat(feed.events()).isEqualTo("http://p:8081/events");
        assertThat(feed.fallback().caEvents()).isEqualTo("tcp://a:5002");
        assertThat(parse(Map.of()).crl.settings(null).fallback()).isNull();
        assertThat(new CrlFeedSettings(null, null).sources()).isEmpty();
    }

    @Test
    void pollGraceAndAdminRefreshAreTheSameOptionsForEveryRelyingParty() {
        CrlFeedSettings defaults = parse(Map.of()).crl.settings(null);
        assertThat(defaults.poll()).isEqualTo(CrlFeedSettings.DEFAULT_POLL).hasSeconds(30);
        assertThat(defaults.grace()).isZero();
        assertThat(parse(Map.of()).admins.interval()).hasSeconds(10);
        CrlFeedSettings given = parse(Map.of(), "--crl-poll", "PT5S", "--crl-grace", "PT1H").crl.settings(null);
        assertThat(given.poll()).hasSeconds(5);
        assertThat(given.grace()).hasHours(1);
        assertThat(parse(Map.of(), "--admin-refresh", "PT1M").admins.interval()).hasMinutes(1);
    }

    @Test
    void aNegativeGraceAZeroPollOrAZeroRefreshIsRefusedWithItsName() {
        assertThatThrownBy(() -> parse(Map.of(), "--crl-grace", "-PT1S").crl.settings(null))
                .hasMessage("crl-grace: must not be negative");
        assertThatThrownBy(() -> parse(Map.of(), "--crl-poll", "PT0S").crl.settings(null))
                .hasMessage("crl-poll: must be positive");
        assertThatThrownBy(() -> parse(Map.of(), "--admin-refresh", "PT0S").admins.interval())
                .hasMessage("admin-refresh: must be positive");
    }

    @Test
    void aSwitchReadAfterParsingIsRefusedWithItsName() {
        assertThat(OnOff.parse("metrics", " OFF ")).isFalse();
        assertThat(OnOff.parse("metrics", "on")).isTrue();
        assertThatThrownBy(() -> OnOff.parse("crl-deltas", "yes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crl-deltas: on or off, not 'yes'");
    }

    @Test
    void theVersionNamesTheProcessItsVersionAndJava() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Demo());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--version")).isZero();
        assertThat(out.toString()).matches("upki demo \\d+\\.\\d+\\.\\d+\\S* \\(Java .+\\)\\R");
    }
}
