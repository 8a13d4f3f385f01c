package dev.herald.acceptance;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.herald.api.openapi.OpenApiDocument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Holds every exchange of the API tests to Herald's own {@code /openapi.json}, with an independent validator
 * (Atlassian's openapi-request-validator): a response must match the document, and a request the document
 * refuses must be refused by Herald (a 4xx, itself as documented), because a gateway or generated client
 * following the document would never send it. Tests that send bad input on purpose therefore need no marking:
 * their request fails the document, and only their answer is checked. A path the document does not know must
 * be answered 404 or 405.
 *
 * <p>With the environment variable {@code OPENAPI_CONFORMANCE_COLLECT} naming a file, mismatches are appended there
 * instead of failing the test: a way to see every one at once while changing the document. (Not a {@code HERALD_}
 * name: Herald refuses unknown variables of its own prefix.)
 */
public final class OpenApiConformance {
    private static final Set<String> UNKNOWN_ROUTE = Set.of(
            "validation.request.path.missing", "validation.request.operation.notAllowed",
            "validation.response.path.missing", "validation.response.operation.notAllowed");

    private OpenApiConformance() {
    }

    /** Built once: parsing the document and compiling its schemas is the costly part. */
    private static final class Holder {
        static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
                .createForInlineApiSpecification(new String(OpenApiDocument.load().json(), StandardCharsets.UTF_8))
                .build();
    }

    /** Fails (or, collecting, records) when the exchange does not agree with the document. */
    public static void check(String method, URI uri, Map<String, String> headers, Optional<byte[]> body,
                             ApiResponse response) {
        Request request = request(method, uri, headers, body);
        ValidationReport requestReport = Holder.VALIDATOR.validateRequest(request);
        String exchange = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + " -> " + response.status();
        if (requestReport.getMessages().stream().anyMatch(m -> UNKNOWN_ROUTE.contains(m.getKey()))) {
            if (response.status() != 404 && response.status() != 405) {
                mismatch(exchange, "the document has no such operation, yet Herald answered " + response.status(),
                        requestReport);
            }
            return;
        }
        ValidationReport responseReport = Holder.VALIDATOR.validateResponse(uri.getRawPath(), request.getMethod(),
                response(response));
        if (requestReport.hasErrors() && (response.status() < 400 || response.status() > 499)) {
            mismatch(exchange, "the document refuses this request, yet Herald accepted it", requestReport);
        }
        if (responseReport.hasErrors()) {
            mismatch(exchange, "the response does not match the document: " + response.body(), responseReport);
        }
    }

    private static Request request(String method, URI uri, Map<String, String> headers, Optional<byte[]> body) {
        var builder = new SimpleRequest.Builder(method.toUpperCase(Locale.ROOT), uri.getRawPath());
        queryParameters(uri.getRawQuery()).forEach(builder::withQueryParam);
        headers.forEach(builder::withHeader);
        body.ifPresent(builder::withBody);
        return builder.build();
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        var parameters = new LinkedHashMap<String, List<String>>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static SimpleResponse response(ApiResponse response) {
        var builder = new SimpleResponse.Builder(response.status());
        response.headers().map().forEach(builder::withHeader);
        if (!response.body().isEmpty()) {
            builder.withBody(response.body());
        }
        return builder.build();
    }

    private static void mismatch(String exchange, String what, ValidationReport report) {
        String messages = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> "  - [" + m.getKey() + "] " + m.getMessage())
                .collect(Collectors.joining("\n"));
        String text = "OpenAPI mismatch: " + exchange + ": " + what + "\n" + messages;
        String collect = System.getenv("OPENAPI_CONFORMANCE_COLLECT");
        if (collect == null || collect.isBlank()) {
            throw new AssertionError(text);
        }
        try {
            Files.writeString(Path.of(collect), text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
