package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaRequest;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A fake transport: records each call's encoded request and answers with scripted DATA ({@code true} when none). */
final class RecordingCaClient implements CaClient {
    private final WireCodec codec = new WireCodec();
    final List<byte[]> sent = new ArrayList<>();
    final Deque<JsonNode> answers = new ArrayDeque<>();

    @Override
    public JsonNode call(CaTask task, ObjectNode params) {
        sent.add(codec.encodeRequest(CaRequest.of(task, params)));
        return answers.isEmpty() ? JsonNodeFactory.instance.booleanNode(true) : answers.pop();
    }

    @Override
    public void close() {
    }
}
