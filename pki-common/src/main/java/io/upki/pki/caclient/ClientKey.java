package io.upki.pki.caclient;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One CURVE client key as {@code list_clients}, {@code add_client} and {@code enrol} answer it; the
 * fields a task does not send are null and left out when written back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientKey(@JsonProperty("public_key") String publicKey, String name, String role,
                        @JsonProperty("added_at") String addedAt) {
}
