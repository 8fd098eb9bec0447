package io.tandem.console.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The endpoints docs/api.md's table names, and those the OpenAPI document serves, as comparable
 * {@code "GET /api/v1/accounts/{}"} strings (path variables unnamed: the table says {@code {id}} where
 * the code says {@code {accountId}}).
 *
 * <p>The table's first cell holds one or more {@code `METHOD[/METHOD…] /api/v1/path[?query]`} in
 * backticks; a path starting with {@code …} continues the cell's previous path.
 */
final class ApiDocumentation {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

    private ApiDocumentation() {
    }

    static Set<String> documented(Path apiMarkdown) {
        Set<String> endpoints = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(apiMarkdown)) {
                if (!line.startsWith("| `")) {
                    continue;
                }
                String firstCell = line.substring(2, line.indexOf(" |", 2));
                String base = "";
                Matcher code = CODE.matcher(firstCell);
                while (code.find()) {
                    String[] methodsAndPath = code.group(1).trim().split(" ", 2);
                    if (methodsAndPath.length < 2) {
                        continue;
                    }
                    String path = methodsAndPath[1].replaceAll("[?\\[].*$", "").trim();
                    if (path.startsWith("…")) {
                        path = base + path.substring(1);
                    } else {
                        base = path;
                    }
                    for (String method : methodsAndPath[0].split("/")) {
                        endpoints.add(method.toUpperCase(Locale.ROOT) + " " + unnamed(path));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return endpoints;
    }

    static Set<String> served(JsonNode openApi) {
        Set<String> endpoints = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : openApi.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                endpoints.add(method.getKey().toUpperCase(Locale.ROOT) + " " + unnamed(path.getKey()));
            }
        }
        return endpoints;
    }

    private static String unnamed(String path) {
        return VARIABLE.matcher(path).replaceAll("{}");
    }
}
