package io.upki.ra.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.upki.ra.api.ApiException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The audit trail from ra-core's {@code --audit-log} (JSON lines; {@code bin/upki up} has the CA append to
 * the same file): who did what to which certificate, newest first, the end of the file only.
 */
final class AuditPage {
    static final int MAX_ROWS = 200;
    private static final long TAIL_BYTES = 512 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SHOWN = Set.of("time", "source", "who", "action", "result", "serial");
    private static final Html.Template ROW = Html.of("""
            <tr class="{{result}}"><td class="mono">{{time}}</td><td>{{source}}</td><td>{{who}}</td><td>{{action}}</td>\
            <td>{{result}}</td><td class="mono">{{serial}}</td><td>{{details}}</td></tr>
            """);

    private final Console console;
    private final Path file;

    AuditPage(Console console, Path file) {
        this.console = console;
        this.file = file;
    }

    void show(Context ctx) throws ApiException, IOException {
        String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip();
        if (q.length() > 256) {
            throw new ApiException(400, "a search is at most 256 characters");
        }
        Html.Parts rows = new Html.Parts();
        String note;
        if (file == null) {
            note = "ra-core runs without --audit-log: events go to its log only.";
        } else if (!Files.exists(file)) {
            note = "No audit event yet.";
        } else {
            List<String> lines = tail(file);
            int shown = 0;
            for (int i = lines.size() - 1; i >= 0 && shown < MAX_ROWS; i--) {
                String line = lines.get(i);
                if (!q.isEmpty() && !line.toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                JsonNode e;
                try {
                    e = JSON.readTree(line);
                } catch (IOException notJson) {
                    continue;
                }
                List<String> details = new ArrayList<>();
                e.fields().forEachRemaining(f -> {
                    if (!SHOWN.contains(f.getKey())) {
                        details.add(f.getKey() + "=" + f.getValue().asText());
                    }
                });
                rows.add(ROW.render("time", e.path("time").asText(), "source", e.path("source").asText(),
                        "who", e.path("who").asText(), "action", e.path("action").asText(), "result", e.path("result").asText(),
                        "serial", e.path("serial").asText(""), "details", String.join(" ", details)));
                shown++;
            }
            note = shown == MAX_ROWS ? "The latest " + MAX_ROWS + " matching events." : shown + " matching events.";
        }
        console.page(ctx, "Audit trail", "audit", Html.resource("audit.html").render("q", q, "note", note,
                "rows", rows.html()));
    }

    /** The complete lines of the file's last {@link #TAIL_BYTES} bytes. */
    private static List<String> tail(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            List<String> lines = new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\n")));
            if (start > 0 && !lines.isEmpty()) {
                lines.remove(0); // cut in the middle
            }
            return lines;
        }
    }
}
