package io.upki.pki.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Task names and which tasks a client may safely retry. */
class CaTaskTest {

    @Test
    void wireNamesAreCaseSensitive() {
        assertThat(CaTask.fromWireName("get_ca")).contains(CaTask.GET_CA);
        assertThat(CaTask.fromWireName("GET_CA")).isEmpty();
        assertThat(CaTask.fromWireName("")).isEmpty();
        assertThat(CaTask.fromWireName(null)).isEmpty();
    }

    @Test
    void wireNamesAreUnique() {
        assertThat(Arrays.stream(CaTask.values()).map(CaTask::wireName)).doesNotHaveDuplicates();
    }

    @Test
    void tasksThatChangeStateAreNotRetried() {
        assertThat(Arrays.stream(CaTask.values()).filter(t -> !t.idempotent())).containsExactlyInAnyOrder(
                CaTask.GENERATE_CRL, CaTask.GENERATE_DELTA_CRL, CaTask.ADD_ADMIN, CaTask.REMOVE_ADMIN, CaTask.REGISTER, CaTask.GENERATE,
                CaTask.SIGN, CaTask.RENEW, CaTask.RENEW_CSR, CaTask.REVOKE, CaTask.UNREVOKE, CaTask.DELETE, CaTask.ENROL,
                CaTask.ADD_CLIENT, CaTask.REMOVE_CLIENT);
    }

    @Test
    void keyGeneratingTasksGetLongerTimeoutsThanLookups() {
        assertThat(CaTask.GENERATE.defaultTimeout()).isGreaterThan(CaTask.GET_CA.defaultTimeout());
        assertThat(CaTask.REGISTER.defaultTimeout()).isGreaterThan(CaTask.GET_CA.defaultTimeout());
        assertThat(Arrays.stream(CaTask.values())).allSatisfy(t -> assertThat(t.defaultTimeout()).isPositive());
    }
}
