package io.upki.sidecar.proxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The proxy configurations under test, as templates with {@code @NAME@} placeholders: the same text as
 * {@code deploy/nginx/upki-site.conf.template} and {@code deploy/caddy/Caddyfile.template}.
 */
final class ProxyConfigs {
    /** The proxy's TLS name; curl resolves it to 127.0.0.1 with {@code --resolve}. */
    static final String SERVER_NAME = "edge.example.internal";

    private ProxyConfigs() {
    }

    /**
     * The nginx part under test, inside {@code http { }}: placeholders {@code @SIDECAR@} and
     * {@code @UPSTREAM@} (host:port), {@code @LISTEN@}, {@code @SERVER_NAME@}, {@code @CERT@}, {@code @KEY@},
     * and for mutual TLS to both {@code @PROXY_CERT@}, {@code @PROXY_KEY@}, {@code @CA@},
     * {@code @SIDECAR_NAME@}, {@code @UPSTREAM_NAME@}.
     */
    static final String NGINX_SITE = """
                # upki auth-sidecar (proxy profile "nginx") and the RA behind it; keepalive is about 3x faster.
                upstream upki_sidecar {
                    server @SIDECAR@;
                    keepalive 16;
                }
                upstream upki_ra {
                    server @UPSTREAM@;
                    keepalive 16;
                }

                server {
                    listen @LISTEN@ ssl;
                    server_name @SERVER_NAME@;
                    ssl_certificate     @CERT@;
                    ssl_certificate_key @KEY@;
                    # Request a client certificate, accept any: the sidecar verifies chain, CRL and role.
                    ssl_verify_client   optional_no_ca;
                    ssl_verify_depth    3;

                    # Mutual TLS to the sidecar and to the RA: both serve only upki's proxy certificate, since
                    # whoever could call them directly could have an administrator's (public) certificate vouched for.
                    proxy_ssl_certificate         @PROXY_CERT@;
                    proxy_ssl_certificate_key     @PROXY_KEY@;
                    proxy_ssl_trusted_certificate @CA@;
                    proxy_ssl_verify              on;
                    proxy_ssl_verify_depth        2;
                    proxy_ssl_protocols           TLSv1.2 TLSv1.3;
                    proxy_ssl_session_reuse       on;

                    # The auth subrequest: GET, no body, every client header except those set here.
                    location = /_upki_auth {
                        internal;
                        proxy_pass https://upki_sidecar/auth/nginx;
                        proxy_ssl_name @SIDECAR_NAME@;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_pass_request_body off;
                        proxy_set_header Content-Length "";
                        # The sidecar's 200 carries a signed assertion with the signer's chain: with an
                        # RSA-4096 CA its headers exceed the default 4k buffer (502, which auth_request makes 500).
                        proxy_buffer_size 16k;
                        proxy_buffers 4 16k;
                        proxy_set_header X-Original-Method $request_method;
                        proxy_set_header X-Original-URI    $request_uri;
                        proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert;
                        # Blank every other certificate and identity header a client may have sent.
                        proxy_set_header X-Forwarded-Tls-Client-Cert "";
                        proxy_set_header X-Client-Cert "";
                        proxy_set_header X-Upki-Client-Subject "";
                        proxy_set_header X-Upki-Client-Serial "";
                        proxy_set_header X-Upki-Client-Fingerprint "";
                        proxy_set_header X-Upki-Client-Role "";
                        proxy_set_header X-Upki-Assertion "";
                    }

                    location / {
                        # 2xx continues; 403 goes to @upki_refused; any other status becomes 500.
                        auth_request /_upki_auth;
                        auth_request_set $upki_refusal         $upstream_http_x_upki_refusal;
                        auth_request_set $upki_refusal_message $upstream_http_x_upki_refusal_message;
                        error_page 403 = @upki_refused;
                        auth_request_set $upki_subject     $upstream_http_x_upki_client_subject;
                        auth_request_set $upki_serial      $upstream_http_x_upki_client_serial;
                        auth_request_set $upki_fingerprint $upstream_http_x_upki_client_fingerprint;
                        auth_request_set $upki_role        $upstream_http_x_upki_client_role;
                        auth_request_set $upki_assertion   $upstream_http_x_upki_assertion;
                        # proxy_set_header replaces the client's copy (an empty value removes it).
                        proxy_set_header X-Upki-Client-Subject     $upki_subject;
                        proxy_set_header X-Upki-Client-Serial      $upki_serial;
                        proxy_set_header X-Upki-Client-Fingerprint $upki_fingerprint;
                        proxy_set_header X-Upki-Client-Role        $upki_role;
                        proxy_set_header X-Upki-Assertion          $upki_assertion;
                        proxy_set_header X-SSL-Client-Cert "";
                        proxy_set_header X-Forwarded-Tls-Client-Cert "";
                        proxy_set_header X-Client-Cert "";
                        proxy_set_header Host              $host;
                        # The host and port the client used: ra-core builds its ACME URLs from them.
                        proxy_set_header X-Forwarded-Host  $http_host;
                        proxy_set_header X-Forwarded-For   $remote_addr;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_ssl_name @UPSTREAM_NAME@;
                        proxy_pass https://upki_ra;
                    }

                    # The sidecar's refusal as it wrote it: nginx dropped its body, not the reason it sent as headers
                    # (fixed reason codes and messages, no quotes to escape). The RA's own 403s pass through untouched.
                    location @upki_refused {
                        default_type application/json;
                        return 403 '{"status":"error","reason":"$upki_refusal","message":"$upki_refusal_message"}\\n';
                    }
                }
            """;

    /** The whole test nginx.conf: private pid, logs and temp paths under {@code @PREFIX@}, then {@link #NGINX_SITE}. */
    static final String NGINX_TEST_CONF = """
            @USER@
            worker_processes 1;
            pid @PREFIX@/nginx.pid;
            error_log @PREFIX@/error.log info;
            events { worker_connections 64; }
            http {
                access_log @PREFIX@/access.log;
                client_body_temp_path @PREFIX@/tmp/body;
                proxy_temp_path       @PREFIX@/tmp/proxy;
                fastcgi_temp_path     @PREFIX@/tmp/fastcgi;
                uwsgi_temp_path       @PREFIX@/tmp/uwsgi;
                scgi_temp_path        @PREFIX@/tmp/scgi;

            @SITE@}
            """;

    /**
     * The Caddyfile under test (Caddy 2.6): placeholders {@code @SIDECAR@}, {@code @UPSTREAM@},
     * {@code @BIND@}, {@code @SERVER_NAME@}, {@code @PORT@}, {@code @CERT@}, {@code @KEY@}, and for mutual
     * TLS {@code @PROXY_CERT@}, {@code @PROXY_KEY@}, {@code @CA@}, {@code @SIDECAR_NAME@}, {@code @UPSTREAM_NAME@}.
     */
    static final String CADDYFILE = """
            {
            	# The certificate comes from upki: no ACME, no local CA, no HTTP->HTTPS redirect listener.
            	admin off
            	auto_https off
            	skip_install_trust
            	default_bind @BIND@
            }

            https://@SERVER_NAME@:@PORT@ {
            	tls @CERT@ @KEY@ {
            		# Request a client certificate, accept any: the sidecar verifies chain, CRL and role.
            		client_auth {
            			mode request
            		}
            	}
            	route {
            		# Never let a client's copy of an identity header through, whatever the Caddy version.
            		request_header -X-Upki-Client-Subject
            		request_header -X-Upki-Client-Serial
            		request_header -X-Upki-Client-Fingerprint
            		request_header -X-Upki-Client-Role
            		request_header -X-Upki-Assertion
            		# 2xx continues with the copied headers; any other answer is relayed to the client.
            		forward_auth https://@SIDECAR@ {
            			uri /auth/caddy?
            			# Mutual TLS: the sidecar serves only upki's proxy certificate.
            			transport http {
            				tls_client_auth @PROXY_CERT@ @PROXY_KEY@
            				tls_trusted_ca_certs @CA@
            				tls_server_name @SIDECAR_NAME@
            			}
            			header_up X-Client-Cert {http.request.tls.client.certificate_der_base64}
            			header_up -X-Forwarded-Tls-Client-Cert
            			header_up -X-SSL-Client-Cert
            			copy_headers X-Upki-Client-Subject X-Upki-Client-Serial X-Upki-Client-Fingerprint X-Upki-Client-Role X-Upki-Assertion
            		}
            		reverse_proxy https://@UPSTREAM@ {
            			# Mutual TLS: ra-core's edge listener serves only upki's proxy certificate.
            			transport http {
            				tls_client_auth @PROXY_CERT@ @PROXY_KEY@
            				tls_trusted_ca_certs @CA@
            				tls_server_name @UPSTREAM_NAME@
            			}
            			header_up -X-Client-Cert
            			header_up -X-Forwarded-Tls-Client-Cert
            			header_up -X-SSL-Client-Cert
            		}
            	}
            }
            """;

    /** The mutual-TLS placeholders of both templates, filled from the test PKI. */
    static Map<String, String> mutualTls(ProxyPki pki) {
        return Map.of("PROXY_CERT", pki.proxyClient.cert().toString(), "PROXY_KEY", pki.proxyClient.key().toString(),
                "CA", pki.caCrt.toString(), "SIDECAR_NAME", ProxyPki.SIDECAR_NAME, "UPSTREAM_NAME", ProxyPki.RA_NAME);
    }

    static String fill(String template, Map<String, String> values) {
        return fill(template, values, true);
    }

    /** Replaces the placeholders in {@code values}; with {@code complete}, none may be left. */
    static String fill(String template, Map<String, String> values, boolean complete) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("@" + e.getKey() + "@", e.getValue());
        }
        if (complete && out.matches("(?s).*@[A-Z_]+@.*")) {
            throw new IllegalArgumentException("unfilled placeholder in:\n" + out);
        }
        return out;
    }

    /** The repository's root (tests run in the module folder). */
    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("auth-sidecar")) ? here : here.getParent();
    }
}
