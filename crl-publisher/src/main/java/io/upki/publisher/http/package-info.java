/**
 * The publisher's HTTP surface: the CRL Distribution Point with conditional GET, the server-sent
 * events channel that pushes each new CRL to sidecars, the on-demand refresh, health and metrics.
 */
package io.upki.publisher.http;
