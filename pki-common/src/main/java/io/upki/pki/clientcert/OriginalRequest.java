package io.upki.pki.clientcert;

/**
 * Where a proxy names the request it asks about.
 *
 * @param methodHeader the original method (absent: the forward-auth request's own method)
 * @param uriHeader the original path and query
 */
public record OriginalRequest(String methodHeader, String uriHeader) {
}
