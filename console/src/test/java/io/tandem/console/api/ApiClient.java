package io.tandem.console.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client against a running node, as a script or partner would use the API. */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String apiKey;

    public ApiClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public record Response(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public ApiClient withKey(String key) {
        return new ApiClient(baseUrl, key);
    }

    public Response get(String path) {
        return send(builder(path).GET());
    }

    public Response post(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path, String json, String idempotencyKey) {
        return send(builder(path).header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response postCsv(String path, String csv) {
        return send(builder(path).header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv)));
    }

    /** A browser's form POST; redirects are not followed, so {@code Location} shows where it would go. */
    public Response postForm(String path, String form) {
        return send(builder(path).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    public Response put(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A multipart/form-data POST: text fields and one file part named {@code file}. */
    public Response postMultipart(String path, java.util.Map<String, String> fields, String fileName, String content) {
        String boundary = "tandem-" + java.util.UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(fileName).append("\"\r\n")
                .append("Content-Type: text/csv\r\n\r\n").append(content).append("\r\n--").append(boundary).append("--\r\n");
        return send(builder(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public Response delete(String path) {
        return send(builder(path).DELETE());
    }

    /** A DELETE with one extra header, e.g. who a peer acts for. */
    public Response delete(String path, String header, String value) {
        return send(builder(path).header(header, value).DELETE());
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (apiKey != null) {
            builder.header("X-Api-Key", apiKey);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            JsonNode body = raw == null || raw.isBlank() || !raw.trim().startsWith("{") && !raw.trim().startsWith("[") ? null : JSON.readTree(raw);
            return new Response(response.statusCode(), body, raw, response.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
