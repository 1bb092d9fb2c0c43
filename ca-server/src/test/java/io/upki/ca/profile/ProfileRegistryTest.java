package io.upki.ca.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built-in and YAML profiles, and the errors that name the bad file and field. */
class ProfileRegistryTest {
    @TempDir
    Path dir;

    @Test
    void builtInsInUpkisOrder() {
        assertThat(ProfileRegistry.load(dir).names())
                .containsExactly("ca", "ra", "server", "webapp", "laptop", "user", "admin", "ocsp", "proxy");
        assertThat(ProfileRegistry.load(dir.resolve("absent")).names()).hasSize(9);
    }

    @Test
    void yamlProfilesAreAddedAndMayReplaceABuiltIn() throws Exception {
        Files.writeString(dir.resolve("iot.yaml"), """
                keyType: ec
                keyLen: 384
                duration: 90
                subject: {C: FR, ST: IDF, L: Paris, O: Company, OU: IoT}
                keyUsage: [digitalSignature]
                extendedKeyUsage: [clientAuth]
                """);
        Files.writeString(dir.resolve("user.yml"), """
                keyType: rsa
                keyLen: 3072
                duration: 7
                subject: {C: DE, O: Other, OU: People}
                keyUsage: [digitalSignature]
                extendedKeyUsage: [clientAuth]
                """);
        ProfileRegistry registry = ProfileRegistry.load(dir);
        assertThat(registry.names()).endsWith("iot").contains("user");
        Profile iot = registry.find("iot").orElseThrow();
        assertThat(iot.keyType()).isEqualTo("ec");
        assertThat(iot.orderedSubject().keySet()).containsExactly("C", "ST", "L", "O", "OU");
        assertThat(iot.digest()).isEqualTo("sha256");
        assertThat(registry.find("user").orElseThrow().durationDays()).isEqualTo(7);
    }

    @Test
    void aProxyRoleProfileMustBeAClientCertificateOnly() throws Exception {
        Files.writeString(dir.resolve("bad-proxy.yml"), "keyType: ec\nkeyLen: 256\nduration: 30\n"
                + "keyUsage: [digitalSignature]\nextendedKeyUsage: [serverAuth, clientAuth]\nrole: proxy\n");
        assertThatThrownBy(() -> ProfileRegistry.load(dir)).hasMessageContaining("bad-proxy.yml")
                .hasMessageContaining("a proxy profile must have exactly [clientAuth]");
        Files.writeString(dir.resolve("bad-proxy.yml"), "keyType: ec\nkeyLen: 256\nduration: 30\n"
                + "keyUsage: [digitalSignature]\nextendedKeyUsage: [clientAuth]\nrole: proxy\n");
        assertThat(ProfileRegistry.load(dir).find("bad-proxy").orElseThrow().role()).isEqualTo(Profile.ROLE_PROXY);
    }

    @Test
    void invalidProfilesNameFileAndField() throws Exception {
        Files.writeString(dir.resolve("bad.yml"), "keyType: dsa\nkeyLen: 1024\nduration: 5\nkeyUsage: [digitalSignature]\n");
        assertThatThrownBy(() -> ProfileRegistry.load(dir)).hasMessageContaining("bad.yml").hasMessageContaining("keyType");
        Files.writeString(dir.resolve("bad.yml"), "keyType: rsa\nkeyLen: 1024\nduration: 5\nkeyUsage: [digitalSignature]\n");
        assertThatThrownBy(() -> ProfileRegistry.load(dir)).hasMessageContaining("keyLen: 1024");
        Files.writeString(dir.resolve("bad.yml"), "keyType: rsa\nkeyLen: 2048\nduration: 5\nkeyUsage: [fly]\n");
        assertThatThrownBy(() -> ProfileRegistry.load(dir)).hasMessageContaining("keyUsage: unknown 'fly'");
        Files.writeString(dir.resolve("bad.yml"), "keyType: rsa\nkeyLen: 2048\nduration: 5\nkeyUsage: [digitalSignature]\n"
                + "extendedKeyUsage: [everything]\n");
        assertThatThrownBy(() -> ProfileRegistry.load(dir)).hasMessageContaining("extendedKeyUsage: unknown 'everything'");
        Files.writeString(dir.resolve("bad.yml"), "keyType: rsa\nkeyLen: 2048\nduration: 0\nkeyUsage: [digitalSignature]\n");
        assertThatThrownBy(() -> ProfileRegistry.load(dir)).hasMessageContaining("duration");
        Files.writeString(dir.resolve("bad.yml"), "keyTipe: rsa\n");
        assertThatThrownBy(() -> ProfileRegistry.load(dir)).hasMessageContaining("keyTipe");
        Files.writeString(dir.resolve("bad.yml"), "keyType: rsa\nkeyLen: 2048\nduration: 5\nkeyUsage: [digitalSignature]\n"
                + "subject: {XX: 1}\n");
        assertThatThrownBy(() -> ProfileRegistry.load(dir)).hasMessageContaining("subject: unknown attribute 'XX'");
    }
}
