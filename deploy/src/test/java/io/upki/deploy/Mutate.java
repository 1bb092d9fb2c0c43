package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;

/** Broken copies of the deployment files, for the tests that show each check can fail. */
final class Mutate {
    private Mutate() {
    }

    /** A deep copy with {@code change} applied to the object at {@code pointer}. */
    static JsonNode at(JsonNode root, String pointer, java.util.function.Consumer<ObjectNode> change) {
        JsonNode copy = root.deepCopy();
        JsonNode target = copy.at(pointer);
        if (!(target instanceof ObjectNode object)) {
            throw new IllegalArgumentException("no object at " + pointer);
        }
        change.accept(object);
        return copy;
    }

    /** A copy of the Compose file where one label of {@code service} is rewritten (null removes it, "" adds). */
    static JsonNode label(JsonNode compose, String service, UnaryOperator<String> rewrite) {
        JsonNode copy = compose.deepCopy();
        ArrayNode labels = (ArrayNode) copy.at("/services/" + service + "/labels");
        ArrayNode rewritten = labels.arrayNode();
        for (JsonNode l : labels) {
            String changed = rewrite.apply(l.asText());
            if (changed != null) {
                rewritten.add(changed);
            }
        }
        ((ObjectNode) copy.at("/services/" + service)).set("labels", rewritten);
        return copy;
    }

    static JsonNode addLabel(JsonNode compose, String service, String label) {
        JsonNode copy = compose.deepCopy();
        ((ArrayNode) copy.at("/services/" + service + "/labels")).add(label);
        return copy;
    }
}
