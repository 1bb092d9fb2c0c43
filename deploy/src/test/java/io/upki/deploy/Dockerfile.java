package io.upki.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Dockerfile as a list of stages of instructions (continuations joined, comments dropped). */
record Dockerfile(List<Stage> stages) {

    record Instruction(String keyword, String arguments) {
    }

    record Stage(String image, String name, List<Instruction> instructions) {
        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        int indexOf(String keyword) {
            for (int i = 0; i < instructions.size(); i++) {
                if (instructions.get(i).keyword().equals(keyword)) {
                    return i;
                }
            }
            return -1;
        }
    }

    static Dockerfile parse(String text) {
        List<Stage> stages = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") && logical.length() == 0) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            if (logical.toString().isBlank()) {
                logical.setLength(0);
                continue;
            }
            lines.add(logical.toString().strip());
            logical.setLength(0);
        }
        for (String line : lines) {
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String args = parts.length > 1 ? parts[1].strip() : "";
            if (keyword.equals("FROM")) {
                String[] from = args.split("\\s+");
                String name = from.length >= 3 && from[from.length - 2].equalsIgnoreCase("AS") ? from[from.length - 1] : null;
                String image = from[0].startsWith("--") && from.length > 1 ? from[1] : from[0];
                stages.add(new Stage(image, name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalArgumentException(keyword + " before FROM");
                }
            } else {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, args));
            }
        }
        return new Dockerfile(stages);
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }
}
