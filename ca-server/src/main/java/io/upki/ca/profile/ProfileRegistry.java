package io.upki.ca.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.upki.pki.wire.ProfileDocument;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profiles a CA offers: the built-ins, then every {@code *.yml}/{@code *.yaml} file of the data
 * directory's {@code profiles/} folder (the file name is the profile name), as uPKI loads them. A file
 * with the name of a built-in replaces it. An invalid file stops the CA from starting.
 */
public final class ProfileRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileRegistry.class);

    private final Map<String, Profile> profiles;

    public ProfileRegistry(Map<String, Profile> profiles) {
        this.profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    }

    /**
     * Loads built-ins plus the YAML files of {@code dir} (which may be absent).
     *
     * @throws IllegalArgumentException naming the file and field of the first invalid profile
     */
    public static ProfileRegistry load(Path dir) {
        Map<String, Profile> all = new LinkedHashMap<>(BuiltInProfiles.all());
        if (dir == null || !Files.isDirectory(dir)) {
            return new ProfileRegistry(all);
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Map<String, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.{yml,yaml}")) {
            for (Path file : stream) {
                String fileName = file.getFileName().toString();
                files.put(fileName.substring(0, fileName.lastIndexOf('.')), file);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list profiles in " + dir + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, Path> entry : files.entrySet()) {
            Path file = entry.getValue();
            try {
                ProfileDocument doc = yaml.readValue(file.toFile(), ProfileDocument.class);
                if (doc == null) {
                    throw new IllegalArgumentException("empty file");
                }
                Profile profile = Profile.fromDocument(entry.getKey(), doc).validate();
                if (all.containsKey(profile.name())) {
                    LOG.warn("profile file {} replaces the built-in profile '{}'", file, profile.name());
                }
                all.put(profile.name(), profile);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid profile " + file + ": " + e.getMessage(), e);
            }
        }
        return new ProfileRegistry(all);
    }

    public Optional<Profile> find(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    public List<String> names() {
        return new ArrayList<>(profiles.keySet());
    }
}
