package io.upki.acme.api;

/** The URLs of this ACME server's resources under one base ({@code scheme://host[:port]}). */
public record AcmeUrls(String base) {
    static final String ROOT = "/acme";

    public String directory() {
        return base + ROOT + "/directory";
    }

    public String newNonce() {
        return base + ROOT + "/new-nonce";
    }

    public String newAccount() {
        return base + ROOT + "/new-account";
    }

    public String newOrder() {
        return base + ROOT + "/new-order";
    }

    public String revokeCert() {
        return base + ROOT + "/revoke-cert";
    }

    public String keyChange() {
        return base + ROOT + "/key-change";
    }

    public String renewalInfo() {
        return base + ROOT + "/renewal-info";
    }

    public String accountPrefix() {
        return base + ROOT + "/acct/";
    }

    public String account(String id) {
        return accountPrefix() + id;
    }

    public String orders(String accountId) {
        return account(accountId) + "/orders";
    }

    public String order(String id) {
        return base + ROOT + "/order/" + id;
    }

    public String finalize(String orderId) {
        return order(orderId) + "/finalize";
    }

    public String authorization(String id) {
        return base + ROOT + "/authz/" + id;
    }

    public String challenge(String id) {
        return base + ROOT + "/chall/" + id;
    }

    public String certificate(String id) {
        return base + ROOT + "/cert/" + id;
    }
}
