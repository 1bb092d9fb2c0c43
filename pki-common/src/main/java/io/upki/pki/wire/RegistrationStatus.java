package io.upki.pki.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** DATA of {@code status} on the registration port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistrationStatus(String status, Node node) {

    /** A node registered through the registration port; {@code registered_at} is ISO 8601. */
    public record Node(String cn, String profile, @JsonProperty("registered_at") String registeredAt) {
    }

    public static RegistrationStatus notRegistered() {
        return new RegistrationStatus("not_registered", null);
    }
}
