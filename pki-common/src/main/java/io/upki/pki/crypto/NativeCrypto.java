package io.upki.pki.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;

/**
 * Puts the Amazon Corretto Crypto Provider (AWS-LC, native code) first in the JCA provider list, so that
 * RSA and ECDSA signatures, key generation and TLS key agreement run at the speed of the machine.
 *
 * <p>Every upki process calls {@link #install} once, at its entry point, before any key is used; code
 * elsewhere asks the JCA by algorithm name and never names a provider, so it gets the native one when it
 * is healthy and the JDK's otherwise. ACCP runs its own self-tests on load; a provider that reports a
 * loading error (another CPU or libc, a missing native library) is left out, never half used.
 */
public final class NativeCrypto {
    /** Set {@code UPKI_NATIVE_CRYPTO=off} to keep the JDK's providers (to compare, or to rule ACCP out). */
    public static final String SWITCH = "UPKI_NATIVE_CRYPTO";

    private NativeCrypto() {
    }

    /** The provider that now serves signatures, and why. */
    public record Status(boolean nativeActive, String description) {
    }

    /** Installs ACCP first unless {@code switchValue} is {@code off}/{@code false}/{@code 0}. */
    public static Status install(String switchValue) {
        String wanted = switchValue == null ? "" : switchValue.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("off") || wanted.equals("false") || wanted.equals("0")) {
            return new Status(false, "JDK providers (" + SWITCH + "=" + switchValue.trim() + ")");
        }
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = accp.getLoadingError();
            if (error != null) {
                return new Status(false, "JDK providers (native provider unavailable: " + error.getMessage() + ")");
            }
            accp.assertHealthy();
            if (!(Security.getProviders()[0] instanceof AmazonCorrettoCryptoProvider)) {
                Security.removeProvider(accp.getName());
                Security.insertProviderAt(accp, 1);
            }
            return current();
        } catch (LinkageError | RuntimeException e) {
            // Missing jar or native library on this platform: the JDK's providers are correct, only slower.
            return new Status(false, "JDK providers (native provider unavailable: " + e + ")");
        }
    }

    /** Which provider comes first now. */
    public static Status current() {
        Provider first = Security.getProviders()[0];
        boolean active = first instanceof AmazonCorrettoCryptoProvider;
        return new Status(active, first.getName() + " " + first.getVersionStr() + (active ? " (native)" : ""));
    }
}
