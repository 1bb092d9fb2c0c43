package io.upki.pki.trust;

/** A client certificate (or its header) was refused for a {@link Refusal} reason; the detail is for logs only. */
public final class RefusedException extends Exception {
    private final Refusal refusal;

    public RefusedException(Refusal refusal, String detail) {
        super(detail, null, false, false); // refusals are routine: no stack trace to fill
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
